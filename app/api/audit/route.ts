import { AuditQuerySchema } from "@/lib/contracts/audit-api";
import { DEFAULT_WORKSPACE_ID } from "@/lib/contracts/protocol";
import { listAudit } from "@/lib/server/audit";
import { handle, json, parseInput } from "@/lib/server/http";
import { queryOf } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// role: admin
/**
 * GET /api/audit?action=a,b&actorId=&from=&to=&cursor=&limit= → { entries, nextCursor }: the
 * workspace's audit log, newest first (from/to: ISO 8601 or epoch ms on createdAt, [from, to)).
 * Pass nextCursor back as cursor for older entries. 400 for an unknown action or a bad time/cursor.
 */
export const GET = handle(async (request: Request) => json(await listAudit(DEFAULT_WORKSPACE_ID, parseInput(AuditQuerySchema, queryOf(request), "query"))));
