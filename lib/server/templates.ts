import "server-only";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseWorkflow, type WorkflowDocument } from "@/lib/workflow";

/** A ready-made workflow from templates/<slug>.aura.json. */
export interface WorkflowTemplate {
  slug: string;
  name: string;
  description: string;
  nodeCount: number;
  document: WorkflowDocument;
}

const templatesDir = () => join(process.cwd(), "templates");

/**
 * Every template in templates/*.aura.json, sorted by slug, each read through parseWorkflow like any
 * other document. A template that does not parse is skipped with a logged error rather than
 * breaking the gallery (the templates test keeps that from shipping).
 */
export async function listTemplates(): Promise<WorkflowTemplate[]> {
  let files: string[];
  try {
    files = (await readdir(templatesDir())).filter((f) => f.endsWith(".aura.json")).sort();
  } catch {
    return [];
  }
  const out: WorkflowTemplate[] = [];
  for (const file of files) {
    const slug = file.slice(0, -".aura.json".length);
    try {
      const parsed = parseWorkflow(JSON.parse(await readFile(join(templatesDir(), file), "utf8")));
      if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join("; "));
      const d = parsed.document;
      out.push({ slug, name: d.name, description: d.description, nodeCount: d.nodes.length, document: d });
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "template skipped", file, err: String(err) }));
    }
  }
  return out;
}
