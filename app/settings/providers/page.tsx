import type { Metadata } from "next";
import { ProvidersPage } from "@/components/settings/providers-page";

export const metadata: Metadata = { title: "Providers · Aura Studio" };

/** Settings → Providers: rate limits and circuit breakers per model provider and HTTP host. */
export default function ProvidersRoute() {
  return <ProvidersPage />;
}
