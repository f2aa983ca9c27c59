/**
 * Many watchers across two web processes: CLIENTS Socket.IO clients (default 500) watch RUNS runs
 * (default 20) on two production servers (`node dist/server.js`, after `npm run build`) that share one
 * PostgreSQL database and Redis (REDIS_URL: the Socket.IO Redis adapter). Runs start alternately on
 * either server, clients connect alternately to either, so about half the deliveries cross processes.
 * Clients live in CLIENT_PROCS child processes (default 4) so the servers' CPU is their own.
 *
 * Prints: delivery latency (event `ts` set where the engine made it → receipt by the client; includes
 * persisting and the Redis hop) p50/p95/p99/max; completeness (every seq once per client); server RSS
 * before and after the clients connect and subscribe, per client; server CPU. Asserts nothing.
 *
 *   npm run build && npx tsx bench/realtime-clients.ts
 *   CLIENTS=200 RUNS=10 STEPS=20 STEP_MS=100 npx tsx bench/realtime-clients.ts
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/aura_bench_clients REDIS_URL=redis://127.0.0.1:6379
 */
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { io as connect, type Socket } from "socket.io-client";
import { BENCH_OWNER, benchAuth, createWorkflowVia, startProductionServer } from "./production-server";

const CLIENTS = Number(process.env.CLIENTS ?? 500);
const RUNS = Number(process.env.RUNS ?? 20);
const STEPS = Number(process.env.STEPS ?? 20);
const STEP_MS = Number(process.env.STEP_MS ?? 100);
const CLIENT_PROCS = Number(process.env.CLIENT_PROCS ?? 4);
const PORTS = [Number(process.env.PORT_A ?? 3181), Number(process.env.PORT_B ?? 3182)];
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/aura_bench_clients";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const BUCKET_MS = 1;
const BUCKETS = 10_000;

type ToChild = { type: "subscribe"; runs: string[] };
type FromChild =
  | { type: "connected" }
  | { type: "subscribed" }
  | {
      type: "report";
      histogram: number[];
      received: number;
      replayed: number;
      duplicates: number;
      gaps: number;
      maxMs: number;
      lastSeqs: Record<string, number>[];
    };

// ---------------------------------------------------------------- child: a group of clients
async function runClients(urls: string[], count: number, offset: number) {
  const histogram = new Uint32Array(BUCKETS);
  let received = 0;
  let replayed = 0;
  let duplicates = 0;
  let gaps = 0;
  let maxMs = 0;
  const sockets: Socket[] = [];
  const last: Map<string, number>[] = [];
  /** When each socket asked to subscribe: events made before it are replay, not live delivery. */
  const subscribedAt: number[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(urls[(offset + i) % urls.length], {
      path: "/socket.io",
      transports: ["websocket"],
      forceNew: true,
      auth: { token: BENCH_OWNER.token },
    });
    const seqs = new Map<string, number>();
    const index = i;
    last.push(seqs);
    socket.on("run:events", (m: { runId: string; events: { seq: number; ts: number }[] }) => {
      const now = Date.now();
      for (const e of m.events) {
        const prev = seqs.get(m.runId) ?? -1;
        if (e.seq <= prev) duplicates++;
        else if (e.seq > prev + 1) gaps++;
        if (e.seq > prev) seqs.set(m.runId, e.seq);
        received++;
        if (!(e.ts >= subscribedAt[index])) {
          replayed++;
          continue;
        }
        const ms = Math.max(0, now - e.ts);
        if (ms > maxMs) maxMs = ms;
        histogram[Math.min(BUCKETS - 1, Math.floor(ms / BUCKET_MS))]++;
      }
    });
    sockets.push(socket);
  }
  await Promise.all(sockets.map((s) => new Promise<void>((r) => (s.connected ? r() : s.once("connect", () => r())))));
  process.send!({ type: "connected" } satisfies FromChild);
  const onMessage = async (m: ToChild | { type: "report" }) => {
    if (m.type === "subscribe") {
      // Client i watches one run: RUNS runs share the clients evenly.
      await Promise.all(
        sockets.map(
          (s, i) =>
            new Promise<void>((resolve, reject) => {
              subscribedAt[i] = Date.now();
              const runId = m.runs[(offset + i) % m.runs.length];
              s.timeout(20_000).emit("run:subscribe", { runId, afterSeq: -1 }, (err: Error | null, ack: { ok: boolean }) =>
                err || !ack.ok ? reject(err ?? new Error(JSON.stringify(ack))) : resolve(),
              );
            }),
        ),
      );
      process.send!({ type: "subscribed" } satisfies FromChild);
    } else if (m.type === "report") {
      process.send!({
        type: "report",
        histogram: [...histogram],
        received,
        replayed,
        duplicates,
        gaps,
        maxMs,
        lastSeqs: last.map((s) => Object.fromEntries(s)),
      } satisfies FromChild);
      for (const s of sockets) s.close();
      setTimeout(() => process.exit(0), 100);
    }
  };
  process.on("message", (m: ToChild | { type: "report" }) => void onMessage(m));
}

// ---------------------------------------------------------------- parent
/** Resident memory of a server process (its run workers are threads, so they are included). */
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
/** User + system CPU of a process so far (clock ticks of 10 ms). */
const cpuMs = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** RSS is noisy (GC): the median of 7 samples over ~2 s. */
async function steadyRssMb(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 7; i++, await sleep(300)) samples.push(rssMb(pid));
  return samples.sort((x, y) => x - y)[3];
}

function chain(n: number, ms: number) {
  const nodes: unknown[] = [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } }];
  const edges: unknown[] = [];
  let prev = "start";
  for (let i = 1; i <= n; i++) {
    nodes.push({ id: `d${i}`, kind: "delay", label: `Step ${i}`, position: { x: 200 * i, y: 0 }, config: { ms } });
    edges.push({ id: `e${i}`, source: prev, target: `d${i}` });
    prev = `d${i}`;
  }
  nodes.push({ id: "out", kind: "output", label: "Done", position: { x: 200 * (n + 1), y: 0 }, config: { value: "ok" } });
  edges.push({ id: "eout", source: prev, target: "out" });
  return { schemaVersion: 1, name: `Realtime clients ${Date.now().toString(36)}`, nodes, edges, settings: { maxConcurrentRuns: RUNS } };
}

async function freshDatabase() {
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: DATABASE_URL.replace(/\/[^/]*$/, "/postgres") });
  await admin.connect();
  const name = new URL(DATABASE_URL).pathname.slice(1);
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
}

async function main() {
  await freshDatabase();
  const env = { REDIS_URL, AURA_LOG_LEVEL: "warn" };
  const a = await startProductionServer(PORTS[0], "clients-a", { databaseUrl: DATABASE_URL, env });
  const b = await startProductionServer(PORTS[1], "clients-b", { databaseUrl: DATABASE_URL, env });
  const servers = [a, b];
  const urls = PORTS.map((p) => `http://127.0.0.1:${p}`);
  try {
    const workflowId = await createWorkflowVia(urls[0], chain(STEPS, STEP_MS));
    const startRuns = async () => {
      const ids: string[] = [];
      for (let i = 0; i < RUNS; i++) {
        const res = await fetch(`${urls[i % 2]}/api/workflows/${workflowId}/runs`, {
          method: "POST",
          headers: { "content-type": "application/json", ...benchAuth },
          body: JSON.stringify({ input: {} }),
        });
        if (res.status !== 202) throw new Error(`start run: ${res.status} ${await res.text()}`);
        ids.push(((await res.json()) as { runId: string }).runId);
      }
      return ids;
    };
    const waitForRuns = async (ids: string[]) => {
      for (const until = Date.now() + 120_000; Date.now() < until; await sleep(250)) {
        let done = 0;
        for (const id of ids) {
          const r = (await (await fetch(`${urls[0]}/api/runs/${id}`, { headers: benchAuth })).json()) as { status: string };
          if (!["queued", "running", "waiting"].includes(r.status)) done++;
        }
        if (done === ids.length) return;
      }
    };
    // Warm-up without clients: worker threads, JIT, caches and pools reach their working size first,
    // so the memory measured next is the clients' and not the first runs'.
    await waitForRuns(await startRuns());
    const rssBefore = await Promise.all(servers.map((s) => steadyRssMb(s.pid!)));

    const self = fileURLToPath(import.meta.url);
    const children: ChildProcess[] = [];
    const per = Math.ceil(CLIENTS / CLIENT_PROCS);
    const waitAll = (type: FromChild["type"]) =>
      Promise.all(children.map((c) => new Promise<FromChild>((resolve) => c.on("message", (m: FromChild) => m.type === type && resolve(m)))));
    for (let offset = 0; offset < CLIENTS; offset += per) {
      children.push(fork(self, ["clients", urls.join(","), String(Math.min(per, CLIENTS - offset)), String(offset)], { execArgv: ["--import", "tsx"] }));
    }
    const connectStarted = Date.now();
    await waitAll("connected");
    const connectMs = Date.now() - connectStarted;
    const rssConnected = await Promise.all(servers.map((s) => steadyRssMb(s.pid!)));

    // The runs, alternately on either server; every client subscribes before they emit much.
    const runs = await startRuns();
    const subscribed = waitAll("subscribed");
    for (const c of children) c.send({ type: "subscribe", runs } satisfies ToChild);
    await subscribed;
    const cpu0 = servers.map((s) => cpuMs(s.pid!));
    const t0 = Date.now();

    // Wait for every run to finish, then for the last deliveries.
    const lastSeq: Record<string, number> = {};
    await waitForRuns(runs);
    const wallMs = Date.now() - t0;
    // Memory with every client connected and subscribed, the runs over (their caches still held).
    const rssSubscribed = await Promise.all(servers.map((s) => steadyRssMb(s.pid!)));
    await sleep(1500);
    const cpu = servers.map((s, i) => cpuMs(s.pid!) - cpu0[i]);
    for (const id of runs) {
      const r = (await (await fetch(`${urls[0]}/api/runs/${id}/events?after=-1&limit=1000`, { headers: benchAuth })).json()) as { events: { seq: number }[] };
      lastSeq[id] = r.events.at(-1)?.seq ?? -1;
    }
    const reports = (await (async () => {
      const p = waitAll("report");
      for (const c of children) c.send({ type: "report" });
      return p;
    })()) as Extract<FromChild, { type: "report" }>[];

    const histogram = new Array<number>(BUCKETS).fill(0);
    let received = 0;
    let replayed = 0;
    let duplicates = 0;
    let gaps = 0;
    let maxMs = 0;
    let complete = 0;
    for (const r of reports) {
      r.histogram.forEach((n, i) => (histogram[i] += n));
      received += r.received;
      replayed += r.replayed;
      duplicates += r.duplicates;
      gaps += r.gaps;
      maxMs = Math.max(maxMs, r.maxMs);
      for (const seqs of r.lastSeqs) if (Object.entries(seqs).every(([id, s]) => s === lastSeq[id]) && Object.keys(seqs).length === 1) complete++;
    }
    const pct = (p: number) => {
      const target = (received - replayed) * p;
      let acc = 0;
      for (let i = 0; i < BUCKETS; i++) if ((acc += histogram[i]) >= target) return i * BUCKET_MS;
      return maxMs;
    };
    const expected = CLIENTS === 0 ? 0 : Array.from({ length: CLIENTS }, (_, i) => lastSeq[runs[i % runs.length]] + 1).reduce((x, y) => x + y, 0);
    const perClientKb = (rss: number[]) => ((rss[0] + rss[1] - rssBefore[0] - rssBefore[1]) * 1024) / CLIENTS;
    console.log(`clients ${CLIENTS} over 2 servers (Redis adapter, PostgreSQL), ${RUNS} runs of ${STEPS} steps × ${STEP_MS} ms, started alternately on both`);
    console.log(`connect: ${CLIENTS} sockets in ${connectMs} ms`);
    console.log(`delivered: ${received} events of ${expected} expected; clients complete ${complete}/${CLIENTS}; duplicates ${duplicates}; gaps ${gaps}`);
    console.log(`replayed at subscribe (made before the client asked, not in the latency): ${replayed}`);
    console.log(`live delivery latency (engine ts → client): p50 ${pct(0.5)} ms · p95 ${pct(0.95)} ms · p99 ${pct(0.99)} ms · max ${maxMs} ms`);
    console.log(
      `server RSS MB (a, b), median of 7 samples: warmed up, no clients ${rssBefore.map((r) => r.toFixed(0)).join(", ")} → ${CLIENTS / 2} clients each connected ${rssConnected.map((r) => r.toFixed(0)).join(", ")} → subscribed, after the runs ${rssSubscribed.map((r) => r.toFixed(0)).join(", ")}`,
    );
    console.log(
      `memory per client (both servers' RSS growth / clients): connected ${perClientKb(rssConnected).toFixed(1)} KB; subscribed, after the runs ${perClientKb(rssSubscribed).toFixed(1)} KB`,
    );
    console.log(`machine load average (1 min): ${loadavg()[0].toFixed(1)} on ${(await import("node:os")).cpus().length} cores`);
    console.log(
      `server CPU during the runs (a, b): ${cpu.map((c) => ((c / wallMs) * 100).toFixed(1)).join("%, ")}% of one core over ${(wallMs / 1000).toFixed(1)} s`,
    );
  } finally {
    for (const s of servers) s.kill("SIGTERM");
  }
}

if (process.argv[2] === "clients") {
  const [, , , urls, count, offset] = process.argv;
  void runClients(urls.split(","), Number(count), Number(offset));
} else {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
