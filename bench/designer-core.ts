/**
 * Designer core speed: validate + auto-layout (ELK, same graph builder as the editor) of a
 * 1,000-node / 1,500-edge workflow. Target: under 300 ms together. Prints numbers; never asserts.
 * Run: npx tsx bench/designer-core.ts
 */
import ELK from "elkjs/lib/elk.bundled.js";
import { parseWorkflow, validateWorkflow } from "@/lib/workflow";
import { positionsFromElk, toElkGraph } from "@/lib/editor/layout";
import { generateLayeredWorkflow } from "./generate-workflow";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const elk = new ELK();
  for (const n of [1000, 5000]) {
    const doc = generateLayeredWorkflow(n);
    const parse: number[] = [];
    const validate: number[] = [];
    const layout: number[] = [];
    const runs = n > 1000 ? 3 : 7;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      const parsed = parseWorkflow(JSON.parse(JSON.stringify(doc)));
      parse.push(performance.now() - t);
      if (!parsed.ok) throw new Error("generated document does not parse");
      t = performance.now();
      const issues = validateWorkflow(parsed.document);
      validate.push(performance.now() - t);
      if (issues.some((x) => x.severity === "error")) throw new Error(`generated document has errors: ${issues[0].message}`);
      t = performance.now();
      positionsFromElk(parsed.document, await elk.layout(toElkGraph(parsed.document, "RIGHT")));
      layout.push(performance.now() - t);
    }
    const total = median(validate) + median(layout);
    console.log(
      `designer-core ${n} nodes / ${doc.edges.length} edges: parse ${median(parse).toFixed(1)} ms, validate ${median(validate).toFixed(1)} ms, auto-layout ${median(layout).toFixed(1)} ms; validate+layout ${total.toFixed(1)} ms` +
        (n === 1000 ? ` (target 300 ms, ratio ${(total / 300).toFixed(2)})` : ""),
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
