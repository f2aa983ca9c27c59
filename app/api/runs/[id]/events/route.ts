import { handle, idParam, json, parseInput } from "@/lib/server/http";
import { listEvents, ListEventsQuerySchema, queryOf } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** GET /api/runs/:id/events?after=SEQ&limit= → { events, lastSeq, hasMore } (seq ascending). */
export const GET = handle(async (request: Request, { params }: Ctx) => {
  const q = parseInput(ListEventsQuerySchema, queryOf(request), "query");
  return json(await listEvents(idParam((await params).id, "Run"), q.after, q.limit));
});
