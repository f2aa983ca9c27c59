import type { Metadata } from "next";
import { RunView } from "@/components/runs/run-view/run-view";

export const metadata: Metadata = { title: "Run · Aura Studio" };

/** The run view: a thin route; everything lives in components/runs/run-view. */
export default async function RunRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RunView runId={id} />;
}
