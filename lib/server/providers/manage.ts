import "server-only";
import { DEFAULT_PROVIDER_SETTINGS, PutProvidersBodySchema, type ProvidersResponse } from "@/lib/contracts/providers-api";
import { getDatabase } from "@/lib/db/database";
import { listProviderSettings, replaceProviderSettings } from "@/lib/db/provider-settings";
import { parseInput } from "../http";
import { providerResilience } from "./resilience";

/** The workspace's provider settings, the defaults, and the live state of its breakers (this process). */
export async function getProviders(workspaceId: string): Promise<ProvidersResponse> {
  return {
    defaults: DEFAULT_PROVIDER_SETTINGS,
    providers: await listProviderSettings(await getDatabase(), workspaceId),
    breakers: providerResilience().registry.status(workspaceId),
  };
}

/** Replaces the workspace's provider settings (400 with issues for bad input); the next call uses them. */
export async function putProviders(workspaceId: string, body: unknown, updatedBy: string | null): Promise<ProvidersResponse> {
  const input = parseInput(PutProvidersBodySchema, body);
  await replaceProviderSettings(await getDatabase(), workspaceId, input.providers, updatedBy);
  await providerResilience().invalidate(workspaceId);
  return getProviders(workspaceId);
}
