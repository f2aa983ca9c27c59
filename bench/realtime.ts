/**
 * Realtime fan-out bench: ONE run emitting EVENTS_PER_SEC events/s (default 5,000) for SECONDS (default 10)
 * to CLIENTS subscribed sockets (default 50), spread over CLIENT_PROCS child processes (default 2) so the
 * server's CPU is measured on its own. Each event is persisted to the in-memory store, then published,
 * with its publish time in `ts`; clients measure publish→receipt latency and check every seq once, in order.
 *
 *   npx tsx bench/realtime.ts
 *   EVENTS_PER_SEC=2000 CLIENTS=20 SECONDS=5 npx tsx bench/realtime.ts
 *
 * Prints numbers and the ratio of p95 latency to the 100 ms target; asserts nothing.
 */
import { fork, type ChildProcess } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { io as connect } from "socket.io-client";
import type { RunEvent } from "../lib/contracts/events";
import type { RealtimeClientSocket } from "../lib/realtime/realtime-client";
import { startTestServer } from "../lib/realtime/testing/harness";

const HIST_BUCKET_MS = 0.1;
const HIST_BUCKETS = 50_000; // up to 5 s
const now = () => performance.timeOrigin + performance.now();

interface ClientReport {
  type: "report";
  sockets: number;
  complete: number;
  received: number;
  duplicates: number;
  outOfOrder: number;
  messages: number;
  histogram: number[];
  maxMs: number;
  cpuMs: number;
}

// ---------------------------------------------------------------- child: a group of subscribed sockets
async function runClients(url: string, runId: string, sockets: number, total: number) {
  const histogram = new Uint32Array(HIST_BUCKETS);
  let maxMs = 0;
  let received = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let messages = 0;
  let complete = 0;
  let subscribed = 0;
  const cpu0 = process.cpuUsage();
  const all: RealtimeClientSocket[] = [];
  for (let i = 0; i < sockets; i++) {
    const socket = connect(url, { path: "/socket.io", transports: ["websocket"], forceNew: true }) as RealtimeClientSocket;
    all.push(socket);
    let last = 0;
    let done = false;
    socket.on("connect", () => {
      socket.emit("run:subscribe", { runId, afterSeq: last }, (ack) => {
        if (!ack.ok) throw new Error(JSON.stringify(ack));
        if (++subscribed === sockets) process.send!({ type: "ready" });
      });
    });
    socket.on("run:events", ({ events }: { events: RunEvent[] }) => {
      const t = now();
      messages++;
      for (const e of events) {
        if (e.seq <= last) {
          duplicates++;
          continue;
        }
        if (e.seq !== last + 1) outOfOrder++;
        last = e.seq;
        received++;
        const ms = Math.max(0, t - e.ts);
        if (ms > maxMs) maxMs = ms;
        histogram[Math.min(HIST_BUCKETS - 1, Math.floor(ms / HIST_BUCKET_MS))]++;
      }
      if (!done && last >= total) {
        done = true;
        complete++;
      }
    });
  }
  process.on("message", (m: { type: string }) => {
    if (m.type !== "finish") return;
    const cpu = process.cpuUsage(cpu0);
    const report: ClientReport = {
      type: "report",
      sockets,
      complete,
      received,
      duplicates,
      outOfOrder,
      messages,
      histogram: Array.from(histogram),
      maxMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
    for (const s of all) s.close();
    process.send!(report, () => process.exit(0));
  });
}

// ---------------------------------------------------------------- parent: server + publisher
async function main() {
  const eventsPerSec = Number(process.env.EVENTS_PER_SEC ?? 5000);
  const clients = Number(process.env.CLIENTS ?? 50);
  const seconds = Number(process.env.SECONDS ?? 10);
  const procs = Math.max(1, Math.min(clients, Number(process.env.CLIENT_PROCS ?? 2)));
  const total = Math.round(eventsPerSec * seconds);
  const runId = "bench-run";

  // Server-side share of the latency: publish → handed to the sockets (once per distinct message).
  // Weighted by receivers, so it compares with the per-client numbers.
  const serverLag = new Float64Array(HIST_BUCKETS);
  const server = await startTestServer({
    onDeliver: (message, receivers) => {
      const t = now();
      for (const e of message.events) serverLag[Math.min(HIST_BUCKETS - 1, Math.floor(Math.max(0, t - e.ts) / HIST_BUCKET_MS))] += receivers;
    },
  });
  server.source.addRun(runId, { workspaceId: "ws_default", workflowId: "bench-wf" });

  const self = fileURLToPath(import.meta.url);
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  const reports: Promise<ClientReport>[] = [];
  for (let p = 0; p < procs; p++) {
    const n = Math.floor(clients / procs) + (p < clients % procs ? 1 : 0);
    const child = fork(self, ["clients", server.url, runId, String(n), String(total)], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    children.push(child);
    ready.push(new Promise((r) => child.on("message", (m: { type: string }) => m.type === "ready" && r())));
    reports.push(new Promise((r) => child.on("message", (m: ClientReport) => m.type === "report" && r(m))));
  }
  await Promise.all(ready);

  console.log(`realtime bench: 1 run, ${eventsPerSec} events/s for ${seconds}s (${total} events) → ${clients} clients in ${procs} processes`);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = now();
  let seq = 0;
  // Publish every 10 ms whatever is due by now, so the rate holds even when timers drift.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((now() - t0) / 1000) * eventsPerSec));
      if (due > seq) {
        const batch: RunEvent[] = [];
        const ts = now();
        while (seq < due) {
          seq++;
          batch.push({ type: "node.started", runId, seq, ts, nodeId: `n${seq % 100}`, kind: "agent", attempt: 1 });
        }
        server.emit(batch); // persist, then publish
      }
      if (seq >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const publishMs = now() - t0;
  // Let the last batches drain.
  await new Promise((r) => setTimeout(r, 1000));
  const cpu = process.cpuUsage(cpu0);
  loop.disable();
  const stats = server.realtime.stats();
  for (const c of children) c.send({ type: "finish" });
  const results = await Promise.all(reports);
  await server.close();

  const histogram = new Array<number>(HIST_BUCKETS).fill(0);
  for (const r of results) r.histogram.forEach((v, i) => (histogram[i] += v));
  const percentile = (hist: ArrayLike<number>, p: number) => {
    let n = 0;
    for (let i = 0; i < hist.length; i++) n += hist[i];
    const target = Math.ceil(n * p);
    let acc = 0;
    for (let i = 0; i < hist.length; i++) {
      acc += hist[i];
      if (acc >= target) return (i + 1) * HIST_BUCKET_MS;
    }
    return Number.NaN;
  };
  const pct = (p: number) => percentile(histogram, p);
  const sum = <K extends keyof ClientReport>(k: K) => results.reduce((a, r) => a + (r[k] as number), 0);
  const serverCpuMs = (cpu.user + cpu.system) / 1000;
  const wallMs = publishMs + 1000;
  const p95 = pct(0.95);

  console.log(
    `  delivery:         ${sum("complete")}/${clients} clients complete, ${sum("received")}/${total * clients} events, ${sum("duplicates")} duplicates, ${sum("outOfOrder")} gaps/out of order`,
  );
  console.log(
    `  latency (publish→receipt): p50 ${pct(0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, max ${Math.max(...results.map((r) => r.maxMs)).toFixed(1)} ms`,
  );
  console.log(`  p95 / 100 ms target: ${(p95 / 100).toFixed(2)}`);
  const lag = (p: number) => percentile(serverLag, p);
  console.log(
    `  of which server (publish→handed to sockets, incl. batching wait): p50 ${lag(0.5).toFixed(1)} ms, p95 ${lag(0.95).toFixed(1)} ms, p99 ${lag(0.99).toFixed(1)} ms`,
  );
  console.log(
    `  server CPU:       ${serverCpuMs.toFixed(0)} ms over ${(wallMs / 1000).toFixed(1)} s = ${((serverCpuMs / wallMs) * 100).toFixed(1)}% of one core (user ${(cpu.user / 1000).toFixed(0)} ms, system ${(cpu.system / 1000).toFixed(0)} ms)`,
  );
  console.log(
    `  server event loop delay: p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
  );
  console.log(
    `  messages:         ${stats.messagesSent} sent = ${(stats.messagesSent / clients / (wallMs / 1000)).toFixed(1)} per client per second (cap 20), ${(sum("received") / Math.max(1, sum("messages"))).toFixed(0)} events per message; store queries ${stats.storeQueries}, backpressure skips ${stats.backpressureSkips}`,
  );
  console.log(`  client processes CPU: ${sum("cpuMs").toFixed(0)} ms total`);
  // Latency includes waiting for a core: on a shared machine, read it next to the load.
  console.log(`  machine: ${cpus().length} cores, load average (1 min) ${loadavg()[0].toFixed(1)} at the end`);
  process.exit(0);
}

if (process.argv[2] === "clients") {
  const [, , , url, runId, n, total] = process.argv;
  void runClients(url, runId, Number(n), Number(total));
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
