import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MemorySaver } from "@langchain/langgraph";
import { exampleInput, parseWorkflow, startFieldsOf } from "../workflow";
import { collectRun, compileWorkflow, createDefaultServices } from "./index";

const load = (name: string) => {
  const parsed = parseWorkflow(JSON.parse(readFileSync(join(__dirname, "..", "..", "templates", `${name}.aura.json`), "utf8")));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.document;
};
// Templates must run with no network: any fetch fails the test loudly.
const noNetwork = (async (url: unknown) => {
  throw new Error(`templates must not reach the network (tried ${String(url)})`);
}) as typeof fetch;
const services = createDefaultServices({ fetch: noNetwork, models: { env: {} } });
const slugs = readdirSync(join(__dirname, "..", "..", "templates"))
  .filter((f) => f.endsWith(".aura.json"))
  .map((f) => f.slice(0, -".aura.json".length));

describe.each(slugs)("template %s with its examples, offline, no key", (slug) => {
  it("has an example for every required Start field and runs to succeeded without an approval", async () => {
    const doc = load(slug);
    const { input, missing } = exampleInput(startFieldsOf(doc));
    expect(missing).toEqual([]);
    const { outcome, events } = await collectRun(compileWorkflow(doc, services), { runId: `t-ex-${slug}`, input, checkpointer: new MemorySaver() });
    expect(outcome.status, JSON.stringify(outcome.error)).toBe("succeeded");
    expect(events.some((e) => e.type === "node.failed")).toBe(false);
  });
});

describe("templates run end to end on the simulated model", () => {
  it("document analysis", async () => {
    const { outcome } = await collectRun(compileWorkflow(load("document-analysis"), services), {
      runId: "t-doc",
      input: {
        documents: [
          { id: "d1", title: "A", text: "wonderful, happy result" },
          { id: "d2", title: "B", text: "bad and sad" },
        ],
        topic: "pilot",
      },
    });
    expect(outcome.status).toBe("succeeded");
    expect(outcome.result).toMatch(/pilot/);
    expect(outcome.result).toMatch(/"label":"positive".*"label":"negative"/s);
  });

  it("customer support: billing goes through the agent and its order tool; escalations wait for approval", async () => {
    const compiled = compileWorkflow(load("customer-support"), services);
    const billing = await collectRun(compiled, { runId: "t-cs1", input: { ticket: "Where is my order?", intent: "billing", urgency: 2, customerId: "c9" } });
    expect(billing.outcome.status).toBe("succeeded");
    expect(billing.events.some((e) => e.type === "node.finished" && e.nodeId === "order-lookup")).toBe(true);
    const checkpointer = new MemorySaver();
    const escalated = await collectRun(compiled, { runId: "t-cs2", input: { ticket: "I will sue", intent: "legal", urgency: 5 }, checkpointer });
    expect(escalated.outcome.status).toBe("waiting");
    const done = await collectRun(compiled, { runId: "t-cs2", checkpointer, resume: { approved: false, comment: "on-call" } });
    expect(done.outcome.result).toBe("Ticket handed to the on-call team: I will sue");
  });

  it("trading signals: model router falls back to the simulated model; approval executes the order", async () => {
    const compiled = compileWorkflow(load("trading-signals"), services);
    const checkpointer = new MemorySaver();
    const first = await collectRun(compiled, { runId: "t-tr", input: { symbol: "ACME", maxPositionUsd: 5000, riskTolerance: 0.9 }, checkpointer });
    expect(["succeeded", "waiting"]).toContain(first.outcome.status);
    const analyst = first.events.find((e) => e.type === "node.finished" && e.nodeId === "signal-analyst");
    expect(analyst).toMatchObject({ model: "offline:simulated" });
    if (first.outcome.status === "waiting") {
      const done = await collectRun(compiled, { runId: "t-tr", checkpointer, resume: { approved: true } });
      expect(done.outcome.status).toBe("succeeded");
      expect(done.outcome.result).toMatchObject({ status: "filled", symbol: "ACME" });
    } else {
      expect(first.outcome.result).toMatch(/No order for ACME/);
    }
  });
});
