import type { Metadata } from "next";
import { CredentialsPage } from "@/components/settings/credentials-page";

export const metadata: Metadata = { title: "Credentials · Aura Studio" };

/** Settings → Credentials: the workspace's API keys and HTTP auth (secrets are write-only). */
export default function CredentialsRoute() {
  return <CredentialsPage />;
}
