import type { Metadata } from "next";
import { RunsDashboard } from "@/components/runs/dashboard/runs-dashboard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Runs · Aura Studio" };

/** /runs: monitoring dashboard (overview, live runs list, dead letters). ?tab=dead-letters opens that tab. */
export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { tab } = await searchParams;
  return <RunsDashboard initialTab={tab === "dead-letters" ? "dead-letters" : "runs"} />;
}
