/**
 * A deterministic layered workflow of N nodes and about 1.5·N edges, for benchmarks: Start in the
 * first layer, Output in the last, templates (valid config) in between, every node reachable.
 */
import { CURRENT_SCHEMA_VERSION, type WorkflowDocument } from "@/lib/workflow";
import { seededRandom } from "@/lib/topology/random";

export function generateLayeredWorkflow(nodeCount: number, edgeRatio = 1.5, seed = 42, width = 10): WorkflowDocument {
  const rand = seededRandom(seed);
  const nodes: WorkflowDocument["nodes"] = [];
  const layers: string[][] = [];
  for (let i = 0; i < nodeCount; i++) {
    const layer = i === 0 ? 0 : i === nodeCount - 1 ? Math.ceil((nodeCount - 2) / width) + 1 : Math.floor((i - 1) / width) + 1;
    const id = i === 0 ? "start" : i === nodeCount - 1 ? "output" : `n${i}`;
    const kind = i === 0 ? "start" : i === nodeCount - 1 ? "output" : "template";
    const config =
      kind === "start"
        ? { fields: [{ name: "input", type: "string", required: true, description: "" }] }
        : kind === "output"
          ? { value: "{{input}}" }
          : { template: `step ${i}: {{input}}`, outputKey: "" };
    (layers[layer] ??= []).push(id);
    const column = layers[layer].length - 1;
    nodes.push({
      id,
      kind,
      label: kind === "template" ? `Step ${i}` : kind === "start" ? "Start" : "Output",
      position: { x: layer * 280, y: column * 110 },
      config,
    });
  }
  const edges: WorkflowDocument["edges"] = [];
  const seen = new Set<string>();
  const add = (source: string, target: string) => {
    const key = `${source}->${target}`;
    if (seen.has(key)) return false;
    seen.add(key);
    edges.push({ id: `e${edges.length}`, source, target });
    return true;
  };
  for (let l = 1; l < layers.length; l++) for (const id of layers[l]) add(layers[l - 1][Math.floor(rand() * layers[l - 1].length)], id);
  const wanted = Math.round(nodeCount * edgeRatio);
  for (let guard = 0; edges.length < wanted && guard < wanted * 20; guard++) {
    const l = 1 + Math.floor(rand() * (layers.length - 1));
    add(layers[l - 1][Math.floor(rand() * layers[l - 1].length)], layers[l][Math.floor(rand() * layers[l].length)]);
  }
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    name: `Bench ${nodeCount} nodes`,
    description: "",
    nodes,
    edges,
    notes: [],
    settings: { runTimeoutMs: 600_000, maxConcurrentRuns: 10, stateFields: [] },
    meta: {},
    pins: {},
  };
}
