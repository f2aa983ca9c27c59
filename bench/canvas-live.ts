/**
 * Live run overlay speed in real headless Chromium against the production server: a 1,000-node
 * workflow open in the editor receives 2,000 node status events per second (batches of 100 every
 * 50 ms, the realtime layer's delivery rate) for several seconds, fed through the editor's own path
 * (frame batcher → store.applyRunEvents → per-node selectors) via the page's test hook.
 * Reports frame gaps (requestAnimationFrame recorder: p50/p95/max) and store commits per frame
 * (target: p95 < 20 ms, at most one commit per frame), in the default view (zoomed on Start, only
 * visible nodes rendered), zoomed out five steps (zoom ~0.34: the most nodes and edges drawn at full
 * detail, each edge its own element) and with the whole graph fitted in view (zoom 0.05: the simpler
 * zoomed-out drawing, edges as one path). Prints how many nodes and edges each view draws. Median of
 * 3 fresh browsers.
 * Needs `npm run build` first (or BASE_URL of a running server). Prints numbers; never asserts.
 * Run: npx tsx bench/canvas-live.ts [nodes] [seconds]
 */
import type { ChildProcess } from "node:child_process";
import { chromium, type Page } from "@playwright/test";
import { generateLayeredWorkflow } from "./generate-workflow";
import { createWorkflowVia, signedInPage, startProductionServer } from "./production-server";

const port = 3212;
const base = process.env.BASE_URL ?? `http://127.0.0.1:${port}`;
const nodes = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 5);
const EVENTS_PER_S = 2000;
const BATCH_MS = 50;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(): Promise<ChildProcess | null> {
  if (process.env.BASE_URL) return null;
  return startProductionServer(port, "canvas-live");
}

/** Feeds status events for `ms` while recording frame gaps; returns gaps, frames and commits. */
async function storm(page: Page, nodeIds: string[], ms: number) {
  // Plain JS source (tsx would wrap named functions in a __name helper that the page does not have).
  const args = JSON.stringify({ nodeIds, ms, perBatch: (EVENTS_PER_S * BATCH_MS) / 1000, batchMs: BATCH_MS });
  return page.evaluate<{ gaps: number[]; frames: number; commits: number; events: number }>(`(${STORM_SOURCE})(${args})`);
}

const STORM_SOURCE = `({ nodeIds, ms, perBatch, batchMs }) => new Promise((resolve) => {
  const live = window.__auraLive;
  live.store.getState().watchRun(null);
  live.store.getState().watchRun("run_bench");
  const commits0 = live.commits();
  let seq = 0, i = 0, last = performance.now(), running = true;
  const gaps = [];
  const frame = (t) => { gaps.push(t - last); last = t; if (running) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  const timer = setInterval(() => {
    const batch = [];
    for (let k = 0; k < perBatch; k++) {
      const nodeId = nodeIds[i % nodeIds.length];
      const started = Math.floor(i / nodeIds.length) % 2 === 0;
      batch.push(started
        ? { type: "node.started", runId: "run_bench", seq: seq++, ts: Date.now(), nodeId, kind: "template", attempt: 1 }
        : { type: "node.finished", runId: "run_bench", seq: seq++, ts: Date.now(), nodeId, kind: "template", attempt: 1, durationMs: 12 });
      i++;
    }
    live.push(batch);
  }, batchMs);
  setTimeout(() => {
    clearInterval(timer);
    running = false;
    setTimeout(() => resolve({ gaps: gaps.slice(2), frames: gaps.length - 2, commits: live.commits() - commits0, events: seq }), 100);
  }, ms);
})`;

async function main() {
  const server = await startServer();
  try {
    const doc = generateLayeredWorkflow(nodes);
    const id = await createWorkflowVia(base, doc);
    const nodeIds = doc.nodes.map((n) => n.id);
    const results: Record<string, { p50: number[]; p95: number[]; max: number[]; perFrame: number[]; eps: number[]; drawn: string }> = {};
    for (let round = 0; round < 3; round++) {
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        ],
      });
      const page = await signedInPage(browser, base, { viewport: { width: 1280, height: 800 } });
      await page.addInitScript(() => ((window as unknown as { __AURA_TEST_HOOKS__: boolean }).__AURA_TEST_HOOKS__ = true));
      await page.goto(`${base}/workflows/${id}`);
      await page.waitForSelector(".react-flow__node", { timeout: 30_000 });
      await page.waitForFunction(() => !!(window as unknown as { __auraLive?: unknown }).__auraLive);
      await sleep(800);
      for (const view of ["default view", "zoomed out", "all in view"]) {
        if (view === "zoomed out") {
          // React Flow's zoom-out button scales by 1/1.2: 0.85 → 0.34, just above the detail threshold.
          for (let k = 0; k < 5; k++) await page.locator(".react-flow__controls-zoomout").click();
          await sleep(1500);
        }
        if (view === "all in view") {
          await page.getByTestId("toolbar-fit").click();
          await sleep(1500);
        }
        const drawn = await page.evaluate<string>(
          `(() => { const z = new DOMMatrix(getComputedStyle(document.querySelector(".react-flow__viewport")).transform).a; return "zoom " + z.toFixed(2) + ", " + document.querySelectorAll(".react-flow__node").length + " nodes / " + document.querySelectorAll(".react-flow__edge").length + " edges drawn"; })()`,
        );
        const r = await storm(page, nodeIds, seconds * 1000);
        const rec = (results[view] ??= { p50: [], p95: [], max: [], perFrame: [], eps: [], drawn });
        rec.p50.push(pct(r.gaps, 50));
        rec.p95.push(pct(r.gaps, 95));
        rec.max.push(Math.max(...r.gaps));
        rec.perFrame.push(r.commits / Math.max(1, r.frames));
        rec.eps.push(r.events / seconds);
        await sleep(500);
      }
      await browser.close();
    }
    console.log(`canvas-live: ${nodes} nodes, ${EVENTS_PER_S} status events/s for ${seconds} s (batches every ${BATCH_MS} ms), median of 3 browsers`);
    for (const [view, r] of Object.entries(results)) {
      console.log(
        `  ${view.padEnd(13)} frame gap p50 ${median(r.p50).toFixed(1)} ms · p95 ${median(r.p95).toFixed(1)} ms (target < 20) · max ${median(r.max).toFixed(0)} ms · store commits per frame ${median(r.perFrame).toFixed(2)} (target ≤ 1) · events fed ${median(r.eps).toFixed(0)}/s (${r.drawn})`,
      );
    }
  } finally {
    server?.kill();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
