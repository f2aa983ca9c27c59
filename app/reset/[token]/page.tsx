import type { Metadata } from "next";
import { ResetForm } from "@/components/account/reset-form";

export const metadata: Metadata = { title: "Reset password · Aura Studio", referrer: "no-referrer" };

/** A password reset link (open page). */
export default async function ResetRoute({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <ResetForm token={token} />;
}
