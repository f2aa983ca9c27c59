import type { Metadata } from "next";
import { WorkflowRunsPage } from "@/components/runs/dashboard/workflow-runs-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Workflow runs · Aura Studio" };

/** /workflows/:id/runs: the workflow's runs, stats and bottleneck report (the editor is /workflows/:id). */
export default async function WorkflowRuns({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <WorkflowRunsPage workflowId={decodeURIComponent(id)} />;
}
