/**
 * Designer core speed: validate + auto-layout of a 1,000-node / 1,500-edge workflow, through the
 * same path the editor takes (ELK up to ELK_MAX_NODES nodes, the linear layered layout above).
 * Target: validate + layout of 1,000 nodes under 300 ms. Also prints ELK at its cap and ELK at
 * 1,000 nodes, to show why the cap exists. Prints numbers; never asserts.
 * Run: npx tsx bench/designer-core.ts
 */
import ELK from "elkjs/lib/elk.bundled.js";
import { parseWorkflow, validateWorkflow, type WorkflowDocument } from "@/lib/workflow";
import { positionsFromElk, toElkGraph } from "@/lib/editor/layout";
import { quickLayeredPositions } from "@/lib/editor/quick-layout";
import { ELK_MAX_NODES } from "@/lib/editor/layout-runner";
import { generateLayeredWorkflow } from "./generate-workflow";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const elk = new ELK();

async function time(runs: number, fn: () => unknown): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

const editorLayout = (doc: WorkflowDocument) =>
  doc.nodes.length > ELK_MAX_NODES ? quickLayeredPositions(doc, "RIGHT") : elk.layout(toElkGraph(doc, "RIGHT")).then((r) => positionsFromElk(doc, r));

async function main() {
  for (const n of [ELK_MAX_NODES, 1000, 5000]) {
    const raw = generateLayeredWorkflow(n);
    const parsed = parseWorkflow(JSON.parse(JSON.stringify(raw)));
    if (!parsed.ok) throw new Error("generated document does not parse");
    const doc = parsed.document;
    if (validateWorkflow(doc).some((x) => x.severity === "error")) throw new Error("generated document has errors");
    const runs = n > 1000 ? 3 : 9;
    const parseMs = await time(runs, () => parseWorkflow(JSON.parse(JSON.stringify(raw))));
    const validateMs = await time(runs, () => validateWorkflow(doc));
    await editorLayout(doc); // warm up
    const layoutMs = await time(runs, () => editorLayout(doc));
    const total = validateMs + layoutMs;
    const engine = n > ELK_MAX_NODES ? "linear layered" : "ELK layered";
    console.log(
      `designer-core ${n} nodes / ${doc.edges.length} edges: parse ${parseMs.toFixed(1)} ms, validate ${validateMs.toFixed(1)} ms, auto-layout (${engine}) ${layoutMs.toFixed(1)} ms; validate+layout ${total.toFixed(1)} ms` +
        (n === 1000 ? ` (target 300 ms, ratio ${(total / 300).toFixed(2)})` : ""),
    );
  }
  const big = generateLayeredWorkflow(1000);
  await elk.layout(toElkGraph(big, "RIGHT"));
  const elkMs = await time(3, () => elk.layout(toElkGraph(big, "RIGHT")));
  console.log(
    `designer-core reference: ELK layered on 1,000 nodes ${elkMs.toFixed(0)} ms (why the editor switches to the linear layout above ${ELK_MAX_NODES} nodes)`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
