import { afterEach, describe, expect, it, vi } from "vitest";
import { MemorySaver } from "@langchain/langgraph";
import type { EngineEvent, EngineEventOf } from "../../contracts/events";
import { collectRun, compileWorkflow, createDefaultServices } from "../index";
import { OfflineChatModel } from "../models/offline";
import { buildWorkflow } from "../testing";
import { toConfidence, parseJsonReply } from "./confidence";

const services = createDefaultServices({ models: { env: {} } });
let counter = 0;

/** start(question) → agent "ask" with the Escalate policy → output of its result. */
function escalatingDoc(escalation: Record<string, unknown>, agent: Record<string, unknown> = {}) {
  return buildWorkflow(
    [
      ["start", "start", { fields: [{ name: "question", type: "string", required: true }] }],
      ["ask", "agent", { role: "Support agent", prompt: "{{question}}", escalation: { enabled: true, ...escalation }, ...agent }],
      ["out", "output", { value: "{{json ask}}" }],
    ],
    ["start->ask", "ask->out"],
  );
}

const levels = (events: EngineEvent[]) =>
  events.filter((e): e is EngineEventOf<"node.escalation"> => e.type === "node.escalation").map((e) => `${e.level}:${e.outcome}${e.to ? `→${e.to}` : ""}`);
const escalationEvents = (events: EngineEvent[]) => events.filter((e): e is EngineEventOf<"node.escalation"> => e.type === "node.escalation");

afterEach(() => vi.restoreAllMocks());

describe("Escalate policy on Agent nodes", () => {
  it("low confidence goes to the supervisor; a confident supervisor settles the step", async () => {
    const doc = escalatingDoc({ supervisorPrompt: "You are the senior agent. [[confidence=0.92]]", human: false });
    const { outcome, events } = await collectRun(compileWorkflow(doc, services), {
      runId: `esc${++counter}`,
      input: { question: "Where is my parcel? [[confidence=0.3]]" },
    });
    expect(outcome.status).toBe("succeeded");
    expect(levels(events)).toEqual(["agent:escalated→supervisor", "supervisor:accepted"]);
    const [agent, supervisor] = escalationEvents(events);
    expect(agent).toMatchObject({ confidence: 0.3, threshold: 0.7, source: "field", reason: "confidence 0.3 is below 0.7", model: "offline:simulated" });
    expect(supervisor.confidence).toBe(0.92);
    // The result is the JSON reply's answer field, not the whole JSON.
    expect(outcome.result).toMatch(/^Simulated answer for: /);
    const finished = events.find((e) => e.type === "node.finished" && e.nodeId === "ask") as EngineEventOf<"node.finished">;
    expect(finished.detail?.escalation).toMatchObject({ level: "supervisor", confidence: 0.92 });
    expect(finished.tokens!.input).toBeGreaterThan(0);
  });

  it("a confident agent answers alone (no escalation past the first level)", async () => {
    const doc = escalatingDoc({});
    const { outcome, events } = await collectRun(compileWorkflow(doc, services), { runId: `esc${++counter}`, input: { question: "Hi [[confidence=0.85]]" } });
    expect(outcome.status).toBe("succeeded");
    expect(levels(events)).toEqual(["agent:accepted"]);
  });

  it("still unsure after the supervisor: a human approval with the evidence; approving finishes without calling the models again", async () => {
    const doc = escalatingDoc({ threshold: 0.8, humanInstructions: "Check the answer about {{question}}" });
    const compiled = compileWorkflow(doc, services);
    const checkpointer = new MemorySaver();
    const runId = `esc${++counter}`;
    const first = await collectRun(compiled, { runId, input: { question: "Refund my order twice [[confidence=0.4]]" }, checkpointer });
    expect(first.outcome.status).toBe("waiting");
    expect(levels(first.events)).toEqual(["agent:escalated→supervisor", "supervisor:escalated→human"]);
    const waiting = first.events.find((e) => e.type === "node.waiting") as EngineEventOf<"node.waiting">;
    expect(waiting.nodeId).toBe("ask");
    expect(waiting.instructions).toBe("Check the answer about Refund my order twice [[confidence=0.4]]");
    expect(waiting.editableFields).toEqual(["answer"]);
    const evidence = waiting.escalation!;
    expect(evidence.question).toContain("Refund my order twice");
    expect(evidence.tries.map((t) => [t.level, t.confidence, t.reason])).toEqual([
      ["agent", 0.4, "confidence 0.4 is below 0.8"],
      ["supervisor", 0.4, "confidence 0.4 is below 0.8"],
    ]);
    expect(evidence.proposedAnswer).toMatch(/^Simulated answer for: /);
    expect(waiting.values).toEqual({ answer: evidence.proposedAnswer });

    const generate = vi.spyOn(OfflineChatModel.prototype, "generate");
    const done = await collectRun(compiled, { runId, checkpointer, resume: { approved: true, comment: "fine" } });
    expect(done.outcome.status).toBe("succeeded");
    expect(done.outcome.result).toBe(evidence.proposedAnswer);
    expect(generate).not.toHaveBeenCalled();
    expect(levels(done.events)).toEqual(["human:approved"]);
    const finished = done.events.find((e) => e.type === "node.finished" && e.nodeId === "ask") as EngineEventOf<"node.finished">;
    expect(finished.tokens).toEqual(evidence.tokens);
    expect(finished.detail?.escalation).toMatchObject({ level: "human", approved: true, edited: false });
  });

  it("the reviewer's edit is the answer; a rejection fails the node with ESCALATION_REJECTED (its error output can take over)", async () => {
    const doc = escalatingDoc({ supervisor: false });
    const compiled = compileWorkflow(doc, services);
    const checkpointer = new MemorySaver();
    const input = { question: "Hard one [[confidence=0.1]]" };
    const a = `esc${++counter}`;
    expect((await collectRun(compiled, { runId: a, input, checkpointer })).outcome.status).toBe("waiting");
    const edited = await collectRun(compiled, { runId: a, checkpointer, resume: { approved: true, values: { answer: "Your refund is on its way." } } });
    expect(edited.outcome.result).toBe("Your refund is on its way.");

    const b = `esc${++counter}`;
    const first = await collectRun(compiled, { runId: b, input, checkpointer });
    expect(levels(first.events)).toEqual(["agent:escalated→human"]);
    const rejected = await collectRun(compiled, { runId: b, checkpointer, resume: { approved: false, comment: "wrong policy" } });
    expect(rejected.outcome.status).toBe("failed");
    expect(rejected.outcome.error).toMatchObject({ code: "ESCALATION_REJECTED" });
    expect(rejected.outcome.error?.message).toMatch(/wrong policy/);
    expect(levels(rejected.events)).toEqual(["human:rejected"]);
  });

  it("an agent failure escalates (the supervisor's model answers); with onFailure off the failure stands", async () => {
    const doc = escalatingDoc({ supervisorModel: "offline:senior", supervisorPrompt: "Senior. [[confidence=0.95]]", human: false }, { model: "nowhere:model" });
    const r = await collectRun(compileWorkflow(doc, services), { runId: `esc${++counter}`, input: { question: "Help" } });
    expect(r.outcome.status).toBe("succeeded");
    expect(levels(r.events)).toEqual(["agent:escalated→supervisor", "supervisor:accepted"]);
    const [agent, supervisor] = escalationEvents(r.events);
    expect(agent.error?.code).toBe("PROVIDER_NOT_CONFIGURED");
    expect(agent.reason).toMatch(/^failed \(PROVIDER_NOT_CONFIGURED/);
    expect(supervisor.model).toBe("offline:senior");

    const off = escalatingDoc({ onFailure: false }, { model: "nowhere:model" });
    const f = await collectRun(compileWorkflow(off, services), { runId: `esc${++counter}`, input: { question: "Help" } });
    expect(f.outcome.status).toBe("failed");
    expect(f.outcome.error?.code).toBe("PROVIDER_NOT_CONFIGURED");
    expect(levels(f.events)).toEqual([]);
  });

  it("judge source: a second model call scores each answer", async () => {
    const unsure = escalatingDoc({
      confidenceSource: "judge",
      judgePrompt: "Grade it. [[confidence=0.2]]",
      supervisor: false,
      human: false,
      whenExhausted: "fail",
    });
    const generate = vi.spyOn(OfflineChatModel.prototype, "generate");
    const r = await collectRun(compileWorkflow(unsure, services), { runId: `esc${++counter}`, input: { question: "Why?" } });
    expect(r.outcome.status).toBe("failed");
    expect(r.outcome.error?.code).toBe("LOW_CONFIDENCE");
    expect(escalationEvents(r.events)[0]).toMatchObject({ level: "agent", outcome: "exhausted", confidence: 0.2, source: "judge" });
    expect(generate).toHaveBeenCalledTimes(2); // the answer and the judge
    const judgeSystem = generate.mock.calls[1][0][0].content;
    expect(judgeSystem).toContain("Grade it.");

    const sure = escalatingDoc({ confidenceSource: "judge", judgePrompt: "Grade it. [[confidence=0.9]]" });
    const ok = await collectRun(compileWorkflow(sure, services), { runId: `esc${++counter}`, input: { question: "Why?" } });
    expect(levels(ok.events)).toEqual(["agent:accepted"]);
    // Not the JSON format: the judge source leaves the agent's reply as it is.
    expect(ok.outcome.result).toMatch(/^\[Simulated model\]/);
  });

  it("expression source: an expression over the answer (true/false or a number)", async () => {
    const low = escalatingDoc({ confidenceSource: "expression", expression: "len(answer) > 5000", supervisor: false, human: false });
    const r = await collectRun(compileWorkflow(low, services), { runId: `esc${++counter}`, input: { question: "Q" } });
    expect(r.outcome.status).toBe("succeeded"); // exhausted, "accept": the answer stands
    expect(escalationEvents(r.events)[0]).toMatchObject({ outcome: "exhausted", confidence: 0 });
    const finished = r.events.find((e) => e.type === "node.finished" && e.nodeId === "ask") as EngineEventOf<"node.finished">;
    expect(finished.detail?.escalation).toMatchObject({ exhausted: true });

    const high = escalatingDoc({ confidenceSource: "expression", expression: 'contains(answer, "Simulated") ? 0.75 : 0.1' });
    const ok = await collectRun(compileWorkflow(high, services), { runId: `esc${++counter}`, input: { question: "Q" } });
    expect(escalationEvents(ok.events)[0]).toMatchObject({ outcome: "accepted", confidence: 0.75 });
  });

  it("a confidence expression that does not parse fails the compile", () => {
    expect(() => compileWorkflow(escalatingDoc({ confidenceSource: "expression", expression: "answer >" }), services)).toThrow(/EXPRESSION_ERROR|Cannot parse/);
  });

  it("without a marker the Simulated confidence is a property of the node (system prompt and model), not of the input", async () => {
    const doc = escalatingDoc({ human: false, supervisor: false });
    const conf = async (question: string) =>
      escalationEvents((await collectRun(compileWorkflow(doc, services), { runId: `esc${++counter}`, input: { question } })).events)[0].confidence;
    const a = await conf("First question");
    expect(a).toBeGreaterThanOrEqual(0.5);
    expect(a).toBeLessThanOrEqual(0.99);
    expect(await conf("A different question")).toBe(a);
  });

  it("an Agent without the policy (or with it disabled) runs as before: no JSON instruction, no events", async () => {
    const doc = escalatingDoc({ enabled: false });
    const generate = vi.spyOn(OfflineChatModel.prototype, "generate");
    const r = await collectRun(compileWorkflow(doc, services), { runId: `esc${++counter}`, input: { question: "Q" } });
    expect(levels(r.events)).toEqual([]);
    expect(generate.mock.calls[0][0][0].content).not.toMatch(/JSON/);
    expect(r.outcome.result).toMatch(/^\[Simulated model\]/);
  });
});

describe("confidence parsing", () => {
  it("reads 0..1, percentages, numeric strings and booleans; refuses the rest", () => {
    expect([0, 0.5, 1, 85, "0.4", "70%", true, false].map(toConfidence)).toEqual([0, 0.5, 1, 0.85, 0.4, 0.7, 1, 0]);
    expect([-1, 101, "high", null, undefined, {}].map(toConfidence)).toEqual([null, null, null, null, null, null]);
  });
  it("reads JSON replies, also fenced or with words around them", () => {
    expect(parseJsonReply('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonReply('Sure:\n```json\n{"a":2}\n```')).toEqual({ a: 2 });
    expect(parseJsonReply('Here: {"a":3} done')).toEqual({ a: 3 });
    expect(parseJsonReply("no json")).toBeNull();
  });
});

describe("the customer-support template escalates", () => {
  const load = async () => {
    const { readFileSync } = await import("node:fs");
    const { parseWorkflow } = await import("../../workflow");
    const parsed = parseWorkflow(JSON.parse(readFileSync(`${__dirname}/../../../templates/customer-support.aura.json`, "utf8")));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return parsed.document;
  };
  const input = { ticket: "Hi, my order hasn't arrived yet.", intent: "billing", urgency: 2, customerId: "c-1042" };

  it("an everyday ticket: the agent is unsure, its team lead settles it (one click, no approval)", async () => {
    const r = await collectRun(compileWorkflow(await load(), services), { runId: `esc${++counter}`, input, checkpointer: new MemorySaver() });
    expect(r.outcome.status).toBe("succeeded");
    expect(levels(r.events)).toEqual(["agent:escalated→supervisor", "supervisor:accepted"]);
  });

  it("a ticket marked unsure goes agent → team lead → a person, whose approval sends the reply", async () => {
    const compiled = compileWorkflow(await load(), services);
    const checkpointer = new MemorySaver();
    const runId = `esc${++counter}`;
    const first = await collectRun(compiled, { runId, input: { ...input, ticket: "Charged twice? [[confidence=0.3]]" }, checkpointer });
    expect(first.outcome.status).toBe("waiting");
    expect(levels(first.events)).toEqual(["agent:escalated→supervisor", "supervisor:escalated→human"]);
    const done = await collectRun(compiled, { runId, checkpointer, resume: { approved: true } });
    expect(done.outcome.status).toBe("succeeded");
    expect(done.outcome.result).toMatch(/^Simulated answer for: /);
  });
});
