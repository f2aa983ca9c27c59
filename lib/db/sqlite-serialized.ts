import "server-only";
import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";

// Prisma's better-sqlite3 adapter runs everything on ONE connection. It makes transactions take
// turns (a mutex), but a plain query is not made to wait: issued while an interactive transaction
// is open — between two of its awaits — it runs inside that transaction. It then reads the
// transaction's uncommitted rows, and its writes are rolled back with the transaction if that fails
// (another request's data, lost). This wrapper makes plain statements wait until no transaction is
// open. better-sqlite3 executes a statement synchronously inside the adapter's call, so a statement
// that finds no transaction open runs to its end before one can begin.
//
// Consequence for code in an interactive transaction: read and write through its `tx`; a plain
// query on the same database from inside the callback would wait for the transaction to end (Prisma
// times the transaction out after 5 s and it fails).

type Adapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** The transaction open on a connection: resolves when it commits or rolls back. */
interface Gate {
  done: Promise<void>;
  open: () => void;
}

function serializeAdapter(adapter: Adapter): Adapter {
  let gate: Gate | null = null;
  const whenIdle = async () => {
    while (gate) await gate.done;
  };
  const close = (g: Gate) => {
    if (gate === g) gate = null;
    g.open();
  };
  const endsGate = (tx: Transaction, g: Gate): Transaction =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        if (prop !== "commit" && prop !== "rollback") return Reflect.get(target, prop, receiver) as unknown;
        return async () => {
          try {
            await target[prop]();
          } finally {
            close(g);
          }
        };
      },
    });
  // Each checks for an open transaction and, finding none, runs its statement in the same turn.
  const wrapped: Partial<Adapter> = {
    queryRaw: async (query) => {
      if (gate) await whenIdle();
      return adapter.queryRaw(query);
    },
    executeRaw: async (query) => {
      if (gate) await whenIdle();
      return adapter.executeRaw(query);
    },
    executeScript: async (script) => {
      if (gate) await whenIdle();
      return adapter.executeScript(script);
    },
    startTransaction: async (isolationLevel) => {
      await whenIdle();
      let open!: () => void;
      const g: Gate = { done: new Promise<void>((resolve) => (open = resolve)), open: () => open() };
      gate = g;
      try {
        return endsGate(await adapter.startTransaction(isolationLevel), g);
      } catch (err) {
        close(g);
        throw err;
      }
    },
  };
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      return Object.hasOwn(wrapped, prop) ? wrapped[prop as keyof Adapter] : (Reflect.get(target, prop, receiver) as unknown);
    },
  });
}

/** The adapter factory with plain statements made to wait for an open transaction (see above). */
export function serializedSqlite(factory: PrismaBetterSqlite3): PrismaBetterSqlite3 {
  return new Proxy(factory, {
    get(target, prop, receiver) {
      if (prop === "connect") return async () => serializeAdapter(await target.connect());
      if (prop === "connectToShadowDb") return async () => serializeAdapter(await target.connectToShadowDb());
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
