// Shapes of the storage API (GET /api/storage, POST /api/storage/prune), shared by the route
// handlers, lib/server/retention and the dashboard's storage panel. Pure zod.
import { z } from "zod";

export const RetentionPolicyViewSchema = z.object({ days: z.number(), maxRuns: z.number(), failedDays: z.number() });

/** GET /api/storage */
export const StorageReportSchema = z.object({
  provider: z.enum(["sqlite", "postgresql"]),
  /** Runs in the database (every status). */
  runs: z.number(),
  /** SQLite: file + WAL; PostgreSQL: pg_database_size. */
  databaseBytes: z.number(),
  /** Tables with their indexes, largest first. */
  tables: z.array(z.object({ table: z.string(), bytes: z.number() })),
  /** The server-wide policy (a workflow's settings.retention overrides it); null when the configuration is invalid. */
  policy: RetentionPolicyViewSchema.nullable(),
  /** How long audit entries are kept, in days: run starts, and every other entry; null when the configuration is invalid. */
  auditPolicy: z.object({ days: z.number(), runStartDays: z.number() }).nullable(),
  compactAfterHours: z.number().nullable(),
  enabled: z.boolean(),
  /** Why the pruner is off (a bad AURA_RETENTION_* value), else null. */
  configError: z.string().nullable(),
  /** When this server next tries a pass (null: off). */
  nextPassAt: z.string().nullable(),
  /** A pass is running (here, or another server holds the lease). */
  running: z.boolean(),
  /** The last pass of any server: when, and what it did. */
  lastPass: z.object({ at: z.string(), summary: z.record(z.string(), z.unknown()).nullable() }).nullable(),
});
export type StorageReport = z.infer<typeof StorageReportSchema>;

/** POST /api/storage/prune: what the pass did, or that another server is pruning. */
export const PruneResultSchema = z.union([
  z.object({ outcome: z.literal("skipped"), reason: z.literal("locked") }),
  z.object({ outcome: z.literal("done"), runs: z.number(), durationMs: z.number(), bytesBefore: z.number(), bytesAfter: z.number() }).passthrough(),
]);
export type PruneResult = z.infer<typeof PruneResultSchema>;
