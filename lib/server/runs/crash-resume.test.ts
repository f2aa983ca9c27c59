// Crash-and-resume of a real backend process: start a run, SIGKILL the process mid-run, boot a new
// one on the same SQLite database; the run finishes and no node that had finished runs again
// (side effects are Memory store rows, counted in the database).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "@/lib/db/client";
import { resolveDatabaseConfig } from "@/lib/db/config";
import { openPreparedDatabase } from "@/lib/db/database";
import { listMemory } from "@/lib/db/memory";
import { listRunEvents } from "@/lib/db/run-events";
import { buildWorkflow } from "@/lib/engine/testing";

const child = path.join(__dirname, "fixtures", "backend-child.ts");

function spawnBackend(dbUrl: string, args: string[]): { proc: ChildProcess; line: Promise<any> } {
  const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", child, ...args], {
    cwd: path.join(__dirname, "..", "..", ".."),
    env: { ...process.env, DATABASE_URL: dbUrl, AURA_WORKERS: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  proc.stderr.on("data", (d) => (err += d));
  const line = new Promise<any>((resolve, reject) => {
    let buf = "";
    proc.stdout.on("data", (d) => {
      buf += d;
      for (const l of buf.split("\n").slice(0, -1)) if (l.startsWith('{"runId"') || l.startsWith('{"booted"')) resolve(JSON.parse(l));
    });
    proc.on("exit", (code) => reject(new Error(`backend exited ${code}: ${err}`)));
  });
  return { proc, line };
}

describe("a backend killed with SIGKILL mid-run", () => {
  let dir: string;
  let db: Database;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "aura-crash-"));
    ({ db } = await openPreparedDatabase(resolveDatabaseConfig(`file:${path.join(dir, "aura.db")}`)));
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("resumes the run at restart without re-running finished nodes", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["ag", "agent", { role: "Helper", prompt: "Say hello" }],
        ["s1", "memory-store", { namespace: "crash", content: "s1" }],
        ["s2", "memory-store", { namespace: "crash", content: "s2" }],
        ["wait", "delay", { ms: 1500 }],
        ["s3", "memory-store", { namespace: "crash", content: "s3" }],
        ["o", "output", { value: "done" }],
      ],
      ["start->ag", "ag->s1", "s1->s2", "s2->wait", "wait->s3", "s3->o"],
    );
    const file = path.join(dir, "doc.json");
    writeFileSync(file, JSON.stringify(doc));
    const url = db.url;
    const first = spawnBackend(url, ["start", file]);
    const { runId } = await first.line;
    const until = Date.now() + 20_000;
    for (;;) {
      const events = await listRunEvents(db, runId, -1, 1000);
      if (events.some((e) => e.type === "node.started" && e.nodeId === "wait")) break;
      if (Date.now() > until) throw new Error("the run never reached the delay");
      await new Promise((r) => setTimeout(r, 20));
    }
    first.proc.kill("SIGKILL");
    await new Promise((r) => first.proc.once("exit", r));
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("running");
    expect((await listMemory(db, "ws_default", "crash")).map((m) => m.content)).toEqual(["s1", "s2"]);

    const second = spawnBackend(url, ["boot"]);
    try {
      await second.line;
      const deadline = Date.now() + 20_000;
      let run;
      do {
        await new Promise((r) => setTimeout(r, 50));
        run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
      } while (!["succeeded", "failed"].includes(run.status) && Date.now() < deadline);
      expect(run.status, run.errorMessage ?? "").toBe("succeeded");
      expect(JSON.parse(run.result!)).toBe("done");
      expect((await listMemory(db, "ws_default", "crash")).map((m) => m.content)).toEqual(["s1", "s2", "s3"]);
      const events = await listRunEvents(db, runId, -1, 1000);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
      const started = events.filter((e) => e.type === "node.started").map((e) => (e as { nodeId: string }).nodeId);
      expect(started).toEqual(["start", "ag", "s1", "s2", "wait", "wait", "s3", "o"]);
      // The agent ran before the crash: its tokens still count in the run's totals.
      const agent = events.find((e) => e.type === "node.finished" && e.nodeId === "ag") as { tokens: { input: number; output: number } };
      expect(agent.tokens.output).toBeGreaterThan(0);
      expect({ input: run.tokensInput, output: run.tokensOutput }).toEqual(agent.tokens);
    } finally {
      second.proc.kill("SIGKILL");
    }
  }, 60_000);

  it("keeps counting the run timeout across the restart (it does not start over)", async () => {
    // 2.5 s limit, a 2 s delay. Killed 0.7 s into the delay, the delay runs again in full after the
    // restart; with a fresh 2.5 s it would finish, with what is left of the limit it must time out.
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["wait", "delay", { ms: 2000 }],
        ["o", "output", { value: "done" }],
      ],
      ["start->wait", "wait->o"],
      { runTimeoutMs: 2500 },
    );
    const file = path.join(dir, "timeout.json");
    writeFileSync(file, JSON.stringify(doc));
    const first = spawnBackend(db.url, ["start", file]);
    const { runId } = await first.line;
    for (const until = Date.now() + 20_000; ;) {
      if ((await listRunEvents(db, runId, -1, 1000)).some((e) => e.type === "node.started" && e.nodeId === "wait")) break;
      if (Date.now() > until) throw new Error("the run never reached the delay");
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 700));
    first.proc.kill("SIGKILL");
    await new Promise((r) => first.proc.once("exit", r));
    const second = spawnBackend(db.url, ["boot"]);
    try {
      await second.line;
      let run;
      for (const deadline = Date.now() + 20_000; ;) {
        run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
        if (["succeeded", "failed"].includes(run.status) || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(run.status).toBe("failed");
      expect(run.errorCode).toBe("RUN_TIMEOUT");
      expect(run.errorMessage).toContain("2500 ms");
      const events = await listRunEvents(db, runId, -1, 1000);
      expect(events.filter((e) => e.type === "run.started").map((e) => (e as { resumed: boolean }).resumed)).toEqual([false, true]);
    } finally {
      second.proc.kill("SIGKILL");
    }
  }, 60_000);
});
