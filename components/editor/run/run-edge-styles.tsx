"use client";

import { useMemo } from "react";
import { useEditor } from "@/lib/editor";
import { edgeRunStates } from "@/lib/editor/run-overlay";

const esc = (id: string) => (typeof CSS !== "undefined" && CSS.escape ? CSS.escape(id) : id.replace(/["\\]/g, "\\$&"));

/**
 * The taken path of the watched run as one style sheet: edges whose source finished on their port are
 * coloured, those leading to a node still executing are animated. One <style> update per frame instead
 * of re-rendering edge components, and it works whatever edge component the canvas uses.
 */
export function RunEdgeStyles() {
  const nodes = useEditor((s) => s.run.nodes);
  const runStatus = useEditor((s) => s.run.status);
  const edges = useEditor((s) => s.doc.edges);
  const { css, taken, active } = useMemo(() => {
    const states = edgeRunStates({ nodes }, edges);
    const takenSel: string[] = [];
    const activeSel: string[] = [];
    for (const [id, st] of states) (st === "active" ? activeSel : takenSel).push(`.react-flow__edge[data-id="${esc(id)}"] .react-flow__edge-path`);
    const all = [...takenSel, ...activeSel];
    let css = "";
    if (all.length) css += `${all.join(",")}{stroke:var(--run-succeeded);stroke-width:2.5px;}`;
    if (activeSel.length) css += `${activeSel.join(",")}{stroke:var(--run-running);stroke-dasharray:6 4;animation:run-dash .6s linear infinite;}`;
    return { css, taken: takenSel.length, active: activeSel.length };
  }, [nodes, edges]);
  return <style data-testid="run-edge-styles" data-taken={taken} data-active={active} data-run-status={runStatus} dangerouslySetInnerHTML={{ __html: css }} />;
}
