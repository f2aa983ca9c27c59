import type { Metadata } from "next";
import { SetupForm } from "@/components/account/setup-form";

export const metadata: Metadata = { title: "Set up · Aura Studio" };

/** First start: create the owner account (open page). */
export default function SetupRoute() {
  return <SetupForm />;
}
