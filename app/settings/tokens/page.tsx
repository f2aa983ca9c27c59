import { TokensSection } from "@/components/account/settings/tokens-section";

/** Settings → API tokens. */
export default function TokensRoute() {
  return <TokensSection />;
}
