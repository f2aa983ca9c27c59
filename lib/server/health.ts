import "server-only";
import { getDatabase } from "@/lib/db/database";
import { pingDatabase } from "@/lib/db/client";
import { resolveDatabaseConfig } from "@/lib/db/config";
import { ErrorCode } from "./errors";

/** How Next.js serves pages: "production" from `npm start`, "development" from `npm run dev`. */
type Mode = "production" | "development";

export type Health =
  | { ok: true; db: "sqlite" | "postgresql"; mode: Mode }
  | { ok: false; db: "sqlite" | "postgresql" | null; mode: Mode; error: { code: string; message: string } };

/** Opens (and prepares) the database if needed, then runs a query on it. */
export async function checkHealth(): Promise<Health> {
  const mode: Mode = process.env.NODE_ENV === "production" ? "production" : "development";
  let provider: "sqlite" | "postgresql" | null = null;
  try {
    provider = resolveDatabaseConfig().provider;
    const db = await getDatabase();
    provider = db.provider;
    await pingDatabase(db);
    return { ok: true, db: db.provider, mode };
  } catch (error) {
    return {
      ok: false,
      db: provider,
      mode,
      error: { code: ErrorCode.DB_UNAVAILABLE, message: `The database is not reachable: ${error instanceof Error ? error.message : String(error)}` },
    };
  }
}
