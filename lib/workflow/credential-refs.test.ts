import { describe, expect, it } from "vitest";
import { credentialRefs, rewriteCredentialRefs } from "./credential-refs";
import { WorkflowDocumentSchema } from "./schema";

const doc = WorkflowDocumentSchema.parse({
  schemaVersion: 2,
  name: "refs",
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
    { id: "ag", kind: "agent", label: "Writer", position: { x: 0, y: 0 }, config: { role: "r", credentialId: "cred_a" } },
    { id: "http", kind: "http-request", label: "Call", position: { x: 0, y: 0 }, config: { url: "https://x", auth: { credentialId: "cred_b" } } },
    { id: "http2", kind: "http-request", label: "Plain", position: { x: 0, y: 0 }, config: { url: "https://x" } },
    { id: "tpl", kind: "template", label: "T", position: { x: 0, y: 0 }, config: { credentialId: "cred_ignored" } },
  ],
});

describe("credential references", () => {
  it("lists the Agent and HTTP request references only", () => {
    expect(credentialRefs(doc)).toEqual([
      { nodeId: "ag", nodeLabel: "Writer", credentialId: "cred_a" },
      { nodeId: "http", nodeLabel: "Call", credentialId: "cred_b" },
    ]);
  });

  it("rewrites ids to names (export) and back, and drops a reference mapped to null", () => {
    const names: Record<string, string> = { cred_a: "OpenAI prod", cred_b: "Billing API" };
    const exported = rewriteCredentialRefs(doc, (r) => ({ credentialName: names[r.credentialId!] }));
    expect(exported.nodes[1].config).toEqual({ role: "r", credentialName: "OpenAI prod" });
    expect(exported.nodes[2].config).toEqual({ url: "https://x", auth: { credentialName: "Billing API" } });
    expect(exported.nodes[3]).toBe(doc.nodes[3]);
    expect(JSON.stringify(exported)).not.toContain("cred_a");

    const imported = rewriteCredentialRefs(exported, (r) => (r.credentialName === "OpenAI prod" ? { credentialId: "cred_new" } : null));
    expect(imported.nodes[1].config).toEqual({ role: "r", credentialId: "cred_new" });
    expect(imported.nodes[2].config).toEqual({ url: "https://x" });
  });
});
