import { AccountSection } from "@/components/account/settings/account-section";

/** Settings → Account: who you are, change password. */
export default function SettingsRoute() {
  return <AccountSection />;
}
