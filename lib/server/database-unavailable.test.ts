// Which errors mean "the database is out of reach": real errors from a PostgreSQL port nobody listens
// on (through Prisma's pg adapter and through pg directly), PostgreSQL's shutdown codes, and errors
// that are the query's own fault (which must stay what they are).
import { createServer } from "node:net";
import pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/client-errors";
import { toErrorResponse } from "./http";

/** A TCP port that refuses connections: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe("isDatabaseUnavailable", () => {
  it("recognises a refused connection through Prisma (raw and model queries) and through pg", async () => {
    const port = await closedPort();
    const db = await openDatabase({ provider: "postgresql", url: `postgresql://postgres@127.0.0.1:${port}/nothing` });
    try {
      const raw = await db.prisma.$queryRawUnsafe("SELECT 1").catch((e: unknown) => e);
      const model = await db.prisma.workspace.findMany().catch((e: unknown) => e);
      expect(isDatabaseUnavailable(raw)).toBe(true);
      expect(isDatabaseUnavailable(model)).toBe(true);
      // The API answers it 503 DB_UNAVAILABLE with Retry-After, not 500.
      const res = toErrorResponse(model);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("DB_UNAVAILABLE");
    } finally {
      await db.close();
    }
    const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/nothing` });
    expect(isDatabaseUnavailable(await client.connect().catch((e: unknown) => e))).toBe(true);
  });

  it("recognises PostgreSQL's shutdown and start-up codes, pg's code-less connection errors, and causes", () => {
    for (const code of ["57P01", "57P03", "08006", "53300", "P1001", "P2024", "ECONNRESET"])
      expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: { kind: "ConnectionClosed" } }))).toBe(true);
    expect(isDatabaseUnavailable({ meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } } })).toBe(true);
  });

  it("leaves the query's own errors alone: a unique violation, a syntax error, anything else", () => {
    for (const code of ["P2002", "23505", "42601", "P2025"]) expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code }))).toBe(false);
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(toErrorResponse(new Error("boom")).status).toBe(500);
    logged.mockRestore();
  });
});
