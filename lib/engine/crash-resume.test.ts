import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

const child = join(__dirname, "fixtures", "crash-child.ts");
const POSTGRES_URL = process.env.AURA_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Runs the child; with `killOn`, SIGKILLs it as soon as a printed event matches. Resolves with its events and exit. */
function runChild(target: string, file: string, mode: "start" | "resume", thread: string, killOn?: (e: { type: string; nodeId?: string }) => boolean) {
  return new Promise<{ events: { type: string; nodeId?: string; result?: unknown }[]; code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      const p = spawn(process.execPath, ["--import", "tsx", child, target, file, mode, thread], {
        cwd: join(__dirname, "..", ".."),
        stdio: ["ignore", "pipe", "pipe"],
      });
      const events: { type: string; nodeId?: string }[] = [];
      let buf = "";
      let err = "";
      p.stdout.on("data", (d: Buffer) => {
        buf += d.toString();
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (!line.trim()) continue;
          const e = JSON.parse(line);
          events.push(e);
          if (killOn?.(e)) p.kill("SIGKILL");
        }
      });
      p.stderr.on("data", (d: Buffer) => (err += d.toString()));
      p.on("error", reject);
      p.on("exit", (code, signal) => (signal || code === 0 ? resolve({ events, code, signal }) : reject(new Error(`child exited ${code}: ${err}`))));
    },
  );
}

async function crashAndResume(target: string) {
  const dir = mkdtempSync(join(tmpdir(), "aura-crash-"));
  const file = join(dir, "side-effects.txt");
  const thread = `crash-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const first = await runChild(target, file, "start", thread, (e) => e.type === "node.started" && e.nodeId === "wait");
  expect(first.signal).toBe("SIGKILL");
  expect(first.events.some((e) => e.type === "run.finished")).toBe(false);
  expect(readFileSync(file, "utf8").trim().split("\n")).toEqual(["s1 x", "s2 x"]);

  const second = await runChild(target, file, "resume", thread);
  expect(second.code).toBe(0);
  const started = second.events.filter((e) => e.type === "node.started").map((e) => e.nodeId);
  expect(started).toEqual(["wait", "s3", "o"]);
  expect(second.events.at(-1)).toMatchObject({ type: "run.finished", result: "done x" });
  expect(readFileSync(file, "utf8").trim().split("\n")).toEqual(["s1 x", "s2 x", "s3 x"]);
  return dir;
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("create schema if not exists aura_engine_test");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

describe("crash and resume (a real child process killed with SIGKILL)", () => {
  it("SQLite: the resumed run re-runs only the unfinished node", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aura-sqlite-"));
    await crashAndResume(join(dir, "checkpoints.db"));
    expect(existsSync(join(dir, "checkpoints.db"))).toBe(true);
  }, 60_000);

  it("PostgreSQL (when reachable): the resumed run re-runs only the unfinished node", async (ctx) => {
    if (!(await postgresReachable())) ctx.skip();
    await crashAndResume(POSTGRES_URL);
  }, 60_000);
});
