import { AuditQuerySchema } from "@/lib/contracts/audit-api";
import { listAudit } from "@/lib/server/audit";
import { route } from "@/lib/server/api-route";
import { json, parseInput } from "@/lib/server/http";
import { queryOf } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/audit?action=a,b&actorId=&from=&to=&cursor=&limit= → { entries, nextCursor }: the
 * workspace's audit log, newest first (from/to: ISO 8601 or epoch ms on createdAt, [from, to)).
 * Pass nextCursor back as cursor for older entries. 400 for an unknown action or a bad time/cursor.
 */
export const GET = route("admin", async (request, { caller }) =>
  json(await listAudit(caller.workspaceId, parseInput(AuditQuerySchema, queryOf(request), "query"))),
);
