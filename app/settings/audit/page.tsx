import type { Metadata } from "next";
import { AuditLog } from "@/components/settings/audit-log";

export const metadata: Metadata = { title: "Audit log · Aura Studio" };

// role: admin
/** The workspace's audit log: sign-ins, member and role changes, credentials, saves, deletes, runs, approvals. */
export default function AuditRoute() {
  return <AuditLog />;
}
