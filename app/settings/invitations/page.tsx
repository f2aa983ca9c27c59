import { InvitationsSection } from "@/components/account/settings/invitations-section";

/** Settings → Invitations (admin+). */
export default function InvitationsRoute() {
  return <InvitationsSection />;
}
