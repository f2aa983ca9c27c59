import type { WorkflowDocument } from "./schema";

/**
 * Where a document refers to workspace credentials: Agent `config.credentialId` and HTTP request
 * `config.auth.credentialId`, or, in an exported file, `credentialName` in the same place (exports
 * carry names, since ids mean nothing in another workspace). Pure: export, import and the delete
 * check read and rewrite references only through these two functions.
 */
export interface CredentialRef {
  nodeId: string;
  nodeLabel: string;
  credentialId?: string;
  credentialName?: string;
}

/** The object holding a node's reference (the config itself, or its `auth`), if the kind has one. */
function holder(kind: string, config: Record<string, unknown>): Record<string, unknown> | undefined {
  if (kind === "agent") return config;
  if (kind === "http-request") return config.auth && typeof config.auth === "object" ? (config.auth as Record<string, unknown>) : undefined;
  return undefined;
}

const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);

/** Every credential reference in the document (nodes without one are left out). */
export function credentialRefs(doc: WorkflowDocument): CredentialRef[] {
  const out: CredentialRef[] = [];
  for (const n of doc.nodes) {
    const h = holder(n.kind, n.config);
    const credentialId = str(h?.credentialId);
    const credentialName = str(h?.credentialName);
    if (credentialId || credentialName)
      out.push({ nodeId: n.id, nodeLabel: n.label, ...(credentialId ? { credentialId } : {}), ...(credentialName ? { credentialName } : {}) });
  }
  return out;
}

/**
 * A copy of the document where each reference is replaced by what `map` returns for it: an id, a
 * name, or null (the node falls back to the server default). Nodes without a reference stay as they are.
 */
export function rewriteCredentialRefs(
  doc: WorkflowDocument,
  map: (ref: CredentialRef) => { credentialId: string } | { credentialName: string } | null,
): WorkflowDocument {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const h = holder(n.kind, n.config);
      const credentialId = str(h?.credentialId);
      const credentialName = str(h?.credentialName);
      if (!h || (!credentialId && !credentialName)) return n;
      const next = map({ nodeId: n.id, nodeLabel: n.label, ...(credentialId ? { credentialId } : {}), ...(credentialName ? { credentialName } : {}) });
      const { credentialId: _id, credentialName: _name, ...rest } = h;
      const replaced = { ...rest, ...(next ?? {}) };
      if (n.kind === "agent") return { ...n, config: replaced };
      const { auth: _auth, ...config } = n.config;
      return { ...n, config: Object.keys(replaced).length ? { ...config, auth: replaced } : config };
    }),
  };
}
