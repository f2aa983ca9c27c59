import "server-only";
import { diffWorkflows } from "@/lib/workflow";
import { type DiffResponse } from "@/lib/contracts";
import { getVersion, getWorkflow } from "./workflows";

/**
 * The diff between two saved versions of a workflow (`to` omitted: the current version). A missing
 * workflow or version is NOT_FOUND, named in the message.
 */
export async function diffVersions(id: string, from: number, to?: number): Promise<DiffResponse> {
  const toVersion = to ?? (await getWorkflow(id)).version;
  const [a, b] = await Promise.all([getVersion(id, from), getVersion(id, toVersion)]);
  return { workflowId: id, from, to: toVersion, diff: diffWorkflows(a.document, b.document) };
}
