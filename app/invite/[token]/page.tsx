import type { Metadata } from "next";
import { InviteView } from "@/components/account/invite-view";

export const metadata: Metadata = { title: "Invitation · Aura Studio", referrer: "no-referrer" };

/** An invitation link (open page): create an account or join with the current one. */
export default async function InviteRoute({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <InviteView token={token} />;
}
