import type { Metadata } from "next";
import { ApprovalsInbox } from "@/components/runs/approvals/approvals-inbox";

export const metadata: Metadata = { title: "Approvals · Aura Studio" };

/** Every waiting Human approval across runs, answerable inline. */
export default function ApprovalsRoute() {
  return <ApprovalsInbox />;
}
