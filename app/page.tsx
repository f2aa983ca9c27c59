import { WorkflowsPage } from "@/components/workflows/workflows-page";
import { listTemplates } from "@/lib/server/templates";

export const dynamic = "force-dynamic";

/** Home: the workflows list, templates gallery and import. */
export default async function HomePage() {
  return <WorkflowsPage initialTemplates={await listTemplates()} />;
}
