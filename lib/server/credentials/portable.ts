import "server-only";
import { rewriteCredentialRefs, credentialRefs, type WorkflowDocument } from "@/lib/workflow";
import { listCredentials } from "@/lib/db/credentials";
import type { Database } from "@/lib/db/client";

/**
 * Exports carry credential names, imports map them back: ids mean nothing in another workspace or
 * installation, and the secret never travels at all.
 */

/** The document as exported: every credential id replaced by its name (a reference to a deleted credential is dropped). */
export async function credentialsToNames(db: Database, workspaceId: string, doc: WorkflowDocument): Promise<WorkflowDocument> {
  if (!credentialRefs(doc).length) return doc;
  const names = new Map((await listCredentials(db, workspaceId)).map((c) => [c.id, c.name]));
  return rewriteCredentialRefs(doc, (r) => {
    const name = r.credentialId ? names.get(r.credentialId) : r.credentialName;
    return name ? { credentialName: name } : null;
  });
}

/** A name the import could not map: which nodes referred to it. */
export interface UnmappedCredential {
  name: string;
  nodes: { id: string; label: string }[];
}

/**
 * The document as imported: each credential name becomes the id of `mapping[name]` (the import
 * dialog's choice: an id of this workspace, or null for "leave unset"), else of this workspace's
 * credential with that name. A name with neither stays as a name: validation reports it on the node
 * (it cannot run until someone picks a credential), and `unmapped` lists it for the answer. Ids in
 * an imported file (not written by export) are kept only if they are this workspace's.
 */
export async function credentialsFromNames(
  db: Database,
  workspaceId: string,
  doc: WorkflowDocument,
  mapping: Record<string, string | null> = {},
): Promise<{ document: WorkflowDocument; unmapped: UnmappedCredential[] }> {
  if (!credentialRefs(doc).length) return { document: doc, unmapped: [] };
  const mine = await listCredentials(db, workspaceId);
  const ids = new Set(mine.map((c) => c.id));
  const byName = new Map(mine.map((c) => [c.name, c.id]));
  const unmapped = new Map<string, UnmappedCredential>();
  const document = rewriteCredentialRefs(doc, (r) => {
    if (r.credentialName === undefined) return r.credentialId && ids.has(r.credentialId) ? { credentialId: r.credentialId } : null;
    const name = r.credentialName;
    if (Object.hasOwn(mapping, name)) {
      const chosen = mapping[name];
      if (chosen === null) return null;
      if (ids.has(chosen)) return { credentialId: chosen };
    }
    const id = byName.get(name);
    if (id) return { credentialId: id };
    const entry = unmapped.get(name) ?? { name, nodes: [] };
    entry.nodes.push({ id: r.nodeId, label: r.nodeLabel });
    unmapped.set(name, entry);
    return { credentialName: name };
  });
  return { document, unmapped: [...unmapped.values()] };
}
