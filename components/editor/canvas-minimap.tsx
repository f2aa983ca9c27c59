"use client";

import { useEffect, useRef } from "react";
import { Panel, useReactFlow, useStore } from "@xyflow/react";
import { getNodeKind } from "@/lib/workflow";
import { useEditor } from "@/lib/editor";
import { useTheme } from "@/components/ui/use-theme";
import { cn } from "@/components/ui/cn";
import { MINIMAP_H, MINIMAP_W } from "./use-minimap-dock";

const W = MINIMAP_W;
const H = MINIMAP_H;

/**
 * A minimap drawn on one <canvas>, for large workflows: React Flow's MiniMap mounts one component
 * per node, which for 1,000 nodes costs about as much as opening the editor. Click or drag to pan.
 * `blocked`: a node lies under it or a drag is in progress, so it lets the pointer through.
 */
export function CanvasMiniMap({ blocked = false }: { blocked?: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const doc = useEditor((s) => s.doc);
  const measured = useEditor((s) => s.measured);
  const transform = useStore((s) => s.transform);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const { setCenter } = useReactFlow();
  const { theme } = useTheme();
  const scaleRef = useRef<{ x: number; y: number; k: number }>({ x: 0, y: 0, k: 1 });

  useEffect(() => {
    const raf = requestAnimationFrame(() => {
      const canvas = ref.current;
      const ctx = canvas?.getContext("2d");
      if (!canvas || !ctx) return;
      const [tx, ty, zoom] = transform;
      const view = { x: -tx / zoom, y: -ty / zoom, w: width / zoom, h: height / zoom };
      let minX = view.x,
        minY = view.y,
        maxX = view.x + view.w,
        maxY = view.y + view.h;
      for (const n of doc.nodes) {
        minX = Math.min(minX, n.position.x);
        minY = Math.min(minY, n.position.y);
        maxX = Math.max(maxX, n.position.x + 220);
        maxY = Math.max(maxY, n.position.y + 60);
      }
      const pad = 40;
      const k = Math.min(W / (maxX - minX + 2 * pad), H / (maxY - minY + 2 * pad));
      const ox = (W - (maxX - minX) * k) / 2 - minX * k;
      const oy = (H - (maxY - minY) * k) / 2 - minY * k;
      scaleRef.current = { x: ox, y: oy, k };
      const dpr = window.devicePixelRatio || 1;
      canvas.width = W * dpr;
      canvas.height = H * dpr;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, W, H);
      ctx.fillStyle = theme === "dark" ? "#111827" : "#ffffff";
      ctx.fillRect(0, 0, W, H);
      for (const note of doc.notes) {
        ctx.fillStyle = "#fcd34d";
        ctx.fillRect(ox + note.position.x * k, oy + note.position.y * k, Math.max(1, note.width * k), Math.max(1, note.height * k));
      }
      for (const n of doc.nodes) {
        const m = measured.get(n.id);
        ctx.fillStyle = getNodeKind(n.kind)?.color ?? "#94a3b8";
        ctx.fillRect(ox + n.position.x * k, oy + n.position.y * k, Math.max(1.5, (m?.width ?? 220) * k), Math.max(1.5, (m?.height ?? 58) * k));
      }
      ctx.fillStyle = theme === "dark" ? "rgba(11,16,32,0.55)" : "rgba(241,245,249,0.6)";
      const vx = ox + view.x * k,
        vy = oy + view.y * k,
        vw = view.w * k,
        vh = view.h * k;
      ctx.fillRect(0, 0, W, vy);
      ctx.fillRect(0, vy + vh, W, H - vy - vh);
      ctx.fillRect(0, vy, vx, vh);
      ctx.fillRect(vx + vw, vy, W - vx - vw, vh);
      ctx.strokeStyle = theme === "dark" ? "#818cf8" : "#4f46e5";
      ctx.lineWidth = 1;
      ctx.strokeRect(vx + 0.5, vy + 0.5, vw, vh);
    });
    return () => cancelAnimationFrame(raf);
  }, [doc.nodes, doc.notes, measured, transform, width, height, theme]);

  const panTo = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const { x, y, k } = scaleRef.current;
    void setCenter((e.clientX - r.left - x) / k, (e.clientY - r.top - y) / k, { zoom: transform[2] });
  };

  return (
    <Panel
      position="bottom-right"
      className={cn("overflow-hidden rounded-lg border border-border shadow-sm transition-opacity", blocked && "aura-minimap-through")}
    >
      <canvas
        ref={ref}
        style={{ width: W, height: H, display: "block", cursor: "pointer" }}
        aria-label="Minimap"
        role="img"
        data-testid="minimap"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          panTo(e);
        }}
        onPointerMove={(e) => e.buttons === 1 && panTo(e)}
      />
    </Panel>
  );
}
