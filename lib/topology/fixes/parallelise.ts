import type { WorkflowDocument, WorkflowEdge, WorkflowNode } from "@/lib/workflow/schema";
import { keysWritten } from "../data-dependencies";
import { firstDependentMember, PARALLELISABLE_KINDS } from "../parallelisable";
import { flowIn, flowOut, freshId, freshLabel, named, newNode } from "./doc-edit";
import { FixRefusalCode, refuse, type FixResult } from "./fix-types";

/** Vertical distance between the branches the fix lays out (px). */
const ROW = 130;

/** An edge without its output port (it now leaves a Join, whose one output is the default). */
function withoutSourceHandle(e: WorkflowEdge): WorkflowEdge {
  const copy = { ...e };
  delete copy.sourceHandle;
  return copy;
}

/** `{{key}}`, or the bracket form when the key has a dot (a path separator in templates). */
const placeholder = (key: string) => (key.includes(".") ? `{{['${key}']}}` : `{{${key}}}`);

/**
 * PARALLELISE: a chain p → a → b → c → s of independent steps (a group of the report's
 * `parallelisable` list) becomes a fan-out / fan-in: p → a, p → b, p → c (same port as p → a), each
 * into a new Join, and the Join → s. Every step still writes its own output key, so the steps after
 * the group read the same fields; an Output after the group that returned "the previous step's
 * result" (empty value) is given that step's key, so the run result stays the same.
 *
 * Checked again on the document as it is now (the analysis may be stale): the nodes exist, are plain
 * steps (`PARALLELISABLE_KINDS`) without an error route, form that chain with one way into the first,
 * and none depends on an earlier one (`firstDependentMember`). Otherwise refused, saying why.
 */
export function parallelise(doc: WorkflowDocument, nodeIds: readonly string[]): FixResult {
  const members: WorkflowNode[] = [];
  for (const id of nodeIds) {
    const n = doc.nodes.find((x) => x.id === id);
    if (!n) return refuse(FixRefusalCode.NODE_MISSING, `Node "${id}" is no longer in the workflow; re-run the analysis.`);
    members.push(n);
  }
  if (members.length < 2) return refuse(FixRefusalCode.NOT_APPLICABLE, "Running steps in parallel needs at least two of them.");
  const names = members.map(named).join(", ");
  for (const m of members) {
    if (!PARALLELISABLE_KINDS.has(m.kind))
      return refuse(FixRefusalCode.NOT_APPLICABLE, `${named(m)} is a ${m.kind}, not a plain step that can run beside others.`);
    if (m.policy?.onError === "route") return refuse(FixRefusalCode.NOT_APPLICABLE, `${named(m)} routes its errors to its own branch; rewire it by hand.`);
  }
  // The chain, link by link.
  const chainEdges: WorkflowEdge[] = [];
  for (let i = 0; i + 1 < members.length; i++) {
    const out = flowOut(doc, members[i].id);
    const into = flowIn(doc, members[i + 1].id);
    const linked = out.length > 0 && out.every((e) => e.target === members[i + 1].id) && into.every((e) => e.source === members[i].id);
    if (!linked) {
      const common = out.length > 0 && members.every((m) => flowOut(doc, m.id).some((e) => e.target === out[0].target));
      if (common && doc.nodes.find((n) => n.id === out[0].target)?.kind === "join")
        return refuse(FixRefusalCode.ALREADY_APPLIED, `${names} already run side by side into a Join.`);
      return refuse(
        FixRefusalCode.NOT_APPLICABLE,
        `${named(members[i])} → ${named(members[i + 1])} is no longer a plain link of one chain; re-run the analysis.`,
      );
    }
    chainEdges.push(...out);
  }
  const head = members[0];
  const last = members[members.length - 1];
  const entry = flowIn(doc, head.id);
  if (entry.length !== 1)
    return refuse(FixRefusalCode.NOT_APPLICABLE, `${named(head)} has ${entry.length} incoming links; it needs exactly one to split the chain there.`);
  const dependent = firstDependentMember(members);
  if (dependent !== -1)
    return refuse(
      FixRefusalCode.NOT_APPLICABLE,
      `${named(members[dependent])} reads the output of an earlier step of the group (or shares a side effect with one): running them side by side would change the result.`,
    );

  // The new Join, where the chain ended; the branches stacked around the chain's first position.
  const joinId = freshId(doc, `join-${head.id}`);
  const join = newNode("join", joinId, freshLabel(doc, "Join"), { x: last.position.x, y: head.position.y }, { outputKey: "" });
  const positions = new Map(members.map((m, i) => [m.id, { x: head.position.x, y: Math.round(head.position.y + (i - (members.length - 1) / 2) * ROW) }]));

  const taken = new Set<string>([joinId]);
  const edge = (source: string, target: string, extra: Partial<WorkflowEdge> = {}): WorkflowEdge => {
    const id = freshId(doc, `e-${source}-${target}`, taken);
    taken.add(id);
    return { id, source, target, ...extra };
  };
  const split = entry[0];
  const fanOut = members.slice(1).map((m) =>
    edge(split.source, m.id, {
      ...(split.sourceHandle ? { sourceHandle: split.sourceHandle } : {}),
      ...(split.label ? { label: split.label } : {}),
    }),
  );
  const fanIn = members.map((m) => edge(m.id, joinId));
  const removed = new Set(chainEdges.map((e) => e.id));
  const exits = new Set(flowOut(doc, last.id).map((e) => e.id));

  // An Output that returned the last step's result (empty value) would now see the Join's list: name the key.
  const lastKey = [...keysWritten(last)][0] ?? last.id;
  const successors = new Set(flowOut(doc, last.id).map((e) => e.target));
  const outputsKept = doc.nodes.filter((n) => successors.has(n.id) && n.kind === "output" && !(typeof n.config.value === "string" && n.config.value.trim()));

  const nodes = doc.nodes.map((n) => {
    const p = positions.get(n.id);
    if (p) return { ...n, position: p };
    if (outputsKept.includes(n)) return { ...n, config: { ...n.config, value: placeholder(lastKey) } };
    return n;
  });
  const edges = doc.edges.filter((e) => !removed.has(e.id)).map((e) => (exits.has(e.id) ? { ...withoutSourceHandle(e), source: joinId } : e));
  const details = [
    `${names} start together after "${doc.nodes.find((n) => n.id === split.source)?.label ?? split.source}" instead of one after another.`,
    `New "${join.label}" waits for all ${members.length} and continues where ${named(last)} did; each step still writes its own output.`,
    ...outputsKept.map((o) => `${named(o)}: value set to ${placeholder(lastKey)}, the result it returned before.`),
  ];
  return {
    ok: true,
    doc: { ...doc, nodes: [...nodes, join], edges: [...edges, ...fanOut, ...fanIn] },
    title: `Run ${names} in parallel`,
    details,
    changes: {
      addedNodeIds: [joinId],
      addedEdgeIds: [...fanOut, ...fanIn].map((e) => e.id),
      removedEdgeIds: [...removed],
      changedNodeIds: [...new Set([...members.map((m) => m.id), split.source, ...successors, ...outputsKept.map((o) => o.id)])],
    },
  };
}
