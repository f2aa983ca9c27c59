import { getNodeKind, getOutputPorts } from "./catalog";
import { IssueCode, type WorkflowIssue } from "./issues";
import type { WorkflowDocument, WorkflowEdge, WorkflowNode } from "./schema";
import { buildAdjacency, reachableFrom, stronglyConnectedComponents } from "./graph";
import { checkIntegrity } from "./parse";
import { setFieldsIssues } from "./expression-check";

/** The output port an edge leaves from; null means the kind's first output. */
export function resolveSourceHandle(node: WorkflowNode, edge: WorkflowEdge): string | undefined {
  return edge.sourceHandle ?? getOutputPorts(node.kind, node.config, node.policy)[0]?.id;
}

function configIssues(node: WorkflowNode, index: number): WorkflowIssue[] {
  const def = getNodeKind(node.kind);
  if (!def) return [];
  const result = def.configSchema.safeParse(node.config);
  if (result.success) return [];
  return result.error.issues.map((i) => {
    const fieldPath = i.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    const field = fieldPath.join(".");
    let value: unknown = node.config;
    for (const p of fieldPath) value = value == null ? undefined : (value as Record<string | number, unknown>)[p];
    const message =
      value === undefined ? `${def.label} "${node.label}": "${field}" is required.` : `${def.label} "${node.label}": ${field ? `"${field}" ` : ""}${i.message}`;
    return { code: IssueCode.CONFIG_INVALID, severity: "error", message, path: ["nodes", index, "config", ...fieldPath], nodeId: node.id, field };
  });
}

/**
 * One UNKNOWN_KIND error per node whose kind the catalog does not know. The editor shows them like
 * any other problem; the server refuses to store such a document (import, create, save), because
 * nothing can run or edit a node it does not know.
 */
export function unknownKindIssues(doc: WorkflowDocument): WorkflowIssue[] {
  return doc.nodes.flatMap((n, i): WorkflowIssue[] =>
    getNodeKind(n.kind)
      ? []
      : [
          {
            code: IssueCode.UNKNOWN_KIND,
            severity: "error",
            message: `Node "${n.label}" has unknown kind "${n.kind}": this app cannot run it. Remove the node or replace it with one from the palette.`,
            path: ["nodes", i, "kind"],
            nodeId: n.id,
          },
        ],
  );
}

/**
 * Every problem that keeps a well-formed document from running, each tied to a node or edge:
 * integrity (duplicate ids, dangling edges), unknown kinds and ports, config that fails its kind's
 * schema, no or several Start nodes, unreachable nodes, joins with one input, unconnected router
 * routes, Set fields expressions that do not parse or read unknown fields, and cycles with no router exit. Errors block a run; warnings do not.
 */
export function validateWorkflow(doc: WorkflowDocument): WorkflowIssue[] {
  const issues: WorkflowIssue[] = checkIntegrity(doc);
  const nodeById = new Map(doc.nodes.map((n) => [n.id, n]));
  const nodeIndex = new Map(doc.nodes.map((n, i) => [n.id, i]));
  const push = (i: WorkflowIssue) => issues.push(i);

  // Kinds and config.
  const starts: WorkflowNode[] = [];
  issues.push(...unknownKindIssues(doc));
  doc.nodes.forEach((n, i) => {
    const def = getNodeKind(n.kind);
    if (!def) return;
    if (n.kind === "start") starts.push(n);
    issues.push(...configIssues(n, i));
  });
  if (starts.length === 0) push({ code: IssueCode.NO_START, severity: "error", message: "Add a Start node: every run begins there.", path: ["nodes"] });
  for (const extra of starts.slice(1)) {
    push({
      code: IssueCode.MULTIPLE_START,
      severity: "error",
      message: `Only one Start node is allowed; remove "${extra.label}".`,
      path: ["nodes", nodeIndex.get(extra.id)!],
      nodeId: extra.id,
    });
  }
  if (!doc.nodes.some((n) => n.kind === "output")) {
    push({ code: IssueCode.NO_OUTPUT, severity: "warning", message: "No Output node: runs will finish without a result.", path: ["nodes"] });
  }

  issues.push(...setFieldsIssues(doc));

  // Ports of every edge.
  const flowEdges: WorkflowEdge[] = [];
  const usedHandles = new Map<string, Set<string>>();
  const flowInputs = new Map<string, WorkflowEdge[]>();
  doc.edges.forEach((e, i) => {
    const source = nodeById.get(e.source);
    const target = nodeById.get(e.target);
    if (!source || !target) return; // reported by integrity
    const sourceDef = getNodeKind(source.kind);
    const targetDef = getNodeKind(target.kind);
    if (!sourceDef || !targetDef) return; // reported as unknown kind
    const ports = getOutputPorts(source.kind, source.config, source.policy);
    const handle = resolveSourceHandle(source, e);
    const port = ports.find((p) => p.id === handle);
    if (!port) {
      const hint = ports.length ? `it has ${ports.map((p) => `"${p.id}"`).join(", ")}` : "it has no outputs";
      push({
        code: IssueCode.UNKNOWN_HANDLE,
        severity: "error",
        message: `Edge from "${source.label}" uses output "${handle ?? ""}", but ${hint}.`,
        path: ["edges", i, "sourceHandle"],
        edgeId: e.id,
      });
      return;
    }
    if (targetDef.inputs.length === 0) {
      push({
        code: IssueCode.UNKNOWN_HANDLE,
        severity: "error",
        message: `"${target.label}" (${targetDef.label}) takes no input; remove the edge into it.`,
        path: ["edges", i, "target"],
        edgeId: e.id,
      });
      return;
    }
    if (e.targetHandle && !targetDef.inputs.some((p) => p.id === e.targetHandle)) {
      push({
        code: IssueCode.UNKNOWN_HANDLE,
        severity: "error",
        message: `Edge into "${target.label}" uses input "${e.targetHandle}", which it does not have.`,
        path: ["edges", i, "targetHandle"],
        edgeId: e.id,
      });
      return;
    }
    if (port.type === "tools" && targetDef.category !== "Tools") {
      push({
        code: IssueCode.UNKNOWN_HANDLE,
        severity: "error",
        message: `Only tool nodes can be attached to the Tools port of "${source.label}"; "${target.label}" is a ${targetDef.label}.`,
        path: ["edges", i, "target"],
        edgeId: e.id,
      });
      return;
    }
    if (!usedHandles.has(source.id)) usedHandles.set(source.id, new Set());
    usedHandles.get(source.id)!.add(port.id);
    if (port.type === "flow") {
      flowEdges.push(e);
      const list = flowInputs.get(target.id) ?? [];
      list.push(e);
      flowInputs.set(target.id, list);
    }
  });

  // Reachability over every edge (tools hang off their agent, so they count as reached through it).
  const allAdj = buildAdjacency(
    nodeById.keys(),
    doc.edges.filter((e) => nodeById.has(e.source) && nodeById.has(e.target)),
  );
  if (starts.length) {
    const reached = reachableFrom(allAdj, [starts[0].id]);
    doc.nodes.forEach((n, i) => {
      if (!reached.has(n.id) && n.kind !== "start") {
        push({
          code: IssueCode.UNREACHABLE_NODE,
          severity: "warning",
          message: `"${n.label}" cannot be reached from Start, so it never runs.`,
          path: ["nodes", i],
          nodeId: n.id,
        });
      }
    });
  }

  // Joins: two or more inputs, unless a Parallel map fans out into them (one edge, many branches).
  const flowAdj = buildAdjacency(nodeById.keys(), flowEdges);
  const mapBranches = doc.nodes.filter((n) => n.kind === "parallel-map").map((m) => reachableFrom(flowAdj, flowAdj.get(m.id) ?? []));
  doc.nodes.forEach((n, i) => {
    if (n.kind !== "join") return;
    const inputs = flowInputs.get(n.id)?.length ?? 0;
    if (inputs >= 2 || (inputs === 1 && mapBranches.some((set) => set.has(n.id)))) return;
    push({
      code: IssueCode.JOIN_TOO_FEW_INPUTS,
      severity: "error",
      message: `Join "${n.label}" has ${inputs} input${inputs === 1 ? "" : "s"}; connect at least two branches (or put it after a Parallel map).`,
      path: ["nodes", i],
      nodeId: n.id,
    });
  });

  // Routers: every named route must lead somewhere.
  doc.nodes.forEach((n, i) => {
    if (n.kind !== "router") return;
    const used = usedHandles.get(n.id) ?? new Set();
    for (const port of getOutputPorts(n.kind, n.config)) {
      if (port.id === "default" || used.has(port.id)) continue;
      push({
        code: IssueCode.ROUTER_OUTPUT_UNCONNECTED,
        severity: "error",
        message: `Router "${n.label}": route "${port.label}" is not connected.`,
        path: ["nodes", i, "config", "routes"],
        nodeId: n.id,
        field: "routes",
      });
    }
  });

  // Cycles: a loop must contain a Router (or approval) with an edge that leaves the loop.
  for (const comp of stronglyConnectedComponents(flowAdj)) {
    const isLoop = comp.length > 1 || (flowAdj.get(comp[0]) ?? []).includes(comp[0]);
    if (!isLoop) continue;
    const members = new Set(comp);
    const hasExit = comp.some((id) => {
      const kind = nodeById.get(id)!.kind;
      return (kind === "router" || kind === "human-approval") && flowEdges.some((e) => e.source === id && !members.has(e.target));
    });
    if (hasExit) continue;
    const first = comp.map((id) => nodeIndex.get(id)!).sort((a, b) => a - b)[0];
    const names = comp.map((id) => `"${nodeById.get(id)!.label}"`).join(", ");
    push({
      code: IssueCode.CYCLE_WITHOUT_EXIT,
      severity: "error",
      message: `The loop through ${names} never ends: add a Router inside it with a route that leaves the loop.`,
      path: ["nodes", first],
      nodeId: doc.nodes[first].id,
    });
  }
  return issues;
}

/** True when nothing blocks a run (warnings allowed). */
export function isRunnable(issues: readonly WorkflowIssue[]): boolean {
  return !issues.some((i) => i.severity === "error");
}
