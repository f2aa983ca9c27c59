import { MembersSection } from "@/components/account/settings/members-section";

/** Settings → Members (admin+). */
export default function MembersRoute() {
  return <MembersSection />;
}
