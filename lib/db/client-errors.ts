import "server-only";

/**
 * Errors that mean "the database cannot be reached right now" (stopped, restarting, network gone, pool
 * exhausted), as opposed to errors of the query itself. The HTTP layer answers them 503 DB_UNAVAILABLE;
 * background writers retry them for as long as it takes instead of giving up.
 */

/** Driver adapter error kinds (@prisma/driver-adapter-utils) that mean the server is out of reach. */
const UNREACHABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TlsConnectionError"]);
/** Prisma error codes: can't reach (P1001), connect timeout (P1002), server closed the connection (P1017), pool timeout (P2024). */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1017", "P2024"]);
/** Node socket errors (pg before the adapter wraps them, pg.Client used directly by migrations and the checkpointer). */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
/**
 * SQLSTATEs: class 08 (connection exception), 57P01 admin shutdown, 57P02 crash shutdown, 57P03
 * cannot connect now (starting up / shutting down), 53300 too many connections.
 */
const SQLSTATE = /^(08...|57P0[123]|53300)$/;
/**
 * node-postgres raises these without any code (its own connection bookkeeping), so only their text
 * tells them apart; everything else above goes by code.
 */
const PG_CODELESS =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed and is not queryable)/;

interface Inspectable {
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
}

function matches(e: Inspectable): boolean {
  if (typeof e.kind === "string" && UNREACHABLE_KINDS.has(e.kind)) return true;
  for (const code of [e.code, e.originalCode]) {
    if (typeof code !== "string") continue;
    if (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATE.test(code)) return true;
  }
  return typeof e.message === "string" && PG_CODELESS.test(e.message);
}

/** True when `error` (or anything in its cause chain, or a Prisma error's driver adapter error) says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const e = queue.shift();
    if (typeof e !== "object" || e === null || seen.has(e)) continue;
    seen.add(e);
    const x = e as Inspectable;
    if (matches(x)) return true;
    queue.push(x.cause, x.meta?.driverAdapterError);
    if (e instanceof AggregateError) queue.push(...(e.errors as unknown[]));
  }
  return false;
}
