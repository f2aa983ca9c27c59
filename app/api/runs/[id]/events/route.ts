import { route } from "@/lib/server/api-route";
import { json, parseInput } from "@/lib/server/http";
import { listEvents, ListEventsQuerySchema, queryOf } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/runs/:id/events?after=SEQ&limit= → { events, lastSeq, hasMore } (seq ascending). */
export const GET = route<{ id: string }>("viewer", async (request, { params }) => {
  const q = parseInput(ListEventsQuerySchema, queryOf(request), "query");
  return json(await listEvents(params.id, q.after, q.limit));
});
