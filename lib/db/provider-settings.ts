import "server-only";
import { ProviderEntrySchema, type ProviderEntry } from "../contracts/providers-api";
import type { Database } from "./client";

/** A workspace's provider settings (Settings → Providers), by key; parsed, so a bad row fails loudly here. */
export async function listProviderSettings(db: Database, workspaceId: string): Promise<ProviderEntry[]> {
  const rows = await db.prisma.providerSetting.findMany({ where: { workspaceId }, orderBy: { key: "asc" } });
  return rows.map((r) =>
    ProviderEntrySchema.parse({
      key: r.key,
      failureThreshold: r.failureThreshold,
      windowMs: r.windowMs,
      cooldownMs: r.cooldownMs,
      requestsPerMinute: r.requestsPerMinute,
      tokensPerMinute: r.tokensPerMinute,
    }),
  );
}

/** Replaces a workspace's provider settings with `entries` (keys not listed go back to the defaults), in one transaction. */
export async function replaceProviderSettings(db: Database, workspaceId: string, entries: ProviderEntry[], updatedBy: string | null): Promise<void> {
  await db.prisma.$transaction([
    db.prisma.providerSetting.deleteMany({ where: { workspaceId } }),
    ...entries.map((e) => db.prisma.providerSetting.create({ data: { workspaceId, ...e, updatedBy } })),
  ]);
}
