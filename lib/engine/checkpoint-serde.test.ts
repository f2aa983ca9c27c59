import { describe, expect, it } from "vitest";
import { JsonPlusSerializer } from "@langchain/langgraph-checkpoint";
import { Send } from "@langchain/langgraph";
import { collectRun, compileWorkflow, createDefaultServices } from "./index";
import { closeCheckpointer, createCheckpointer } from "./checkpointer";
import { PlainJsonSerializer } from "./plain-json-serde";
import { buildWorkflow } from "./testing";

/** True when `v` holds only JSON values in plain objects and arrays (no class instance anywhere). */
function isPlainJson(v: unknown): boolean {
  if (v === null || ["string", "number", "boolean"].includes(typeof v)) return true;
  if (Array.isArray(v)) return v.every(isPlainJson);
  if (typeof v !== "object" || Object.getPrototypeOf(v) !== Object.prototype) return false;
  return Object.values(v).every(isPlainJson);
}

/** Data a node could put in the state (from an HTTP body, a model, a JS transform) shaped like serializer records. */
const HOSTILE_PAYLOADS: [string, unknown][] = [
  ["LangChain message constructor", { lc: 1, type: "constructor", id: ["langchain_core", "messages", "HumanMessage"], kwargs: { content: "hi" } }],
  [
    "LangChain prompt constructor",
    { lc: 1, type: "constructor", id: ["langchain_core", "prompts", "PromptTemplate"], kwargs: { template: "{x}", inputVariables: ["x"] } },
  ],
  ["secret reference", { lc: 1, type: "secret", id: ["OPENAI_API_KEY"] }],
  ["not_implemented record", { lc: 1, type: "not_implemented", id: ["os", "system"] }],
  ["undefined record", { lc: 2, type: "undefined" }],
  ["RegExp record (ReDoS on revival)", { lc: 2, type: "constructor", id: ["RegExp"], method: null, args: ["(a+)+$", ""] }],
  ["Set record", { lc: 2, type: "constructor", id: ["Set"], method: null, args: [[1, 2]] }],
  ["Map record", { lc: 2, type: "constructor", id: ["Map"], method: null, args: [[["k", "v"]]] }],
  ["Error record", { lc: 2, type: "constructor", id: ["Error"], method: null, args: ["boom"] }],
  ["Uint8Array record", { lc: 2, type: "constructor", id: ["Uint8Array"], method: "from", args: [[1, 2, 3]] }],
  ["delta snapshot record", { lc: 2, type: "delta_snapshot", value: { a: 1 } }],
  [
    "records nested in arrays",
    [
      {
        x: [
          { lc: 2, type: "undefined" },
          { lc: 1, type: "constructor", id: ["a"], kwargs: {} },
        ],
      },
    ],
  ],
  ["escaped-looking keys", { "~lc": 1, "~~lc": 2, lc: 3, type: "constructor", id: ["Set"] }],
  ["__proto__ as a key", JSON.parse('{"__proto__": {"lc": 1, "type": "constructor", "id": ["x"]}, "ok": 1}')],
  ["constructor/prototype keys", { constructor: { prototype: { lc: 2, type: "undefined" } } }],
];

describe("checkpoints keep data as plain JSON", () => {
  const serde = new PlainJsonSerializer();

  it.each(HOSTILE_PAYLOADS)("%s round-trips unchanged", async (_name, payload) => {
    const [type, bytes] = await serde.dumpsTyped({ channel_values: { data: payload } });
    const back = (await serde.loadsTyped(type, bytes)) as { channel_values: { data: unknown } };
    // Compared as JSON text: the same keys in the same order (toStrictEqual trips over own "constructor" keys).
    expect(JSON.stringify(back.channel_values.data)).toBe(JSON.stringify(payload));
    expect(isPlainJson(back.channel_values.data)).toBe(true);
  });

  it("LangGraph's default serializer would have revived them (why this exists)", async () => {
    const plain = new JsonPlusSerializer();
    const [type, bytes] = await plain.dumpsTyped({ v: HOSTILE_PAYLOADS[0][1] });
    const back = (await plain.loadsTyped(type, bytes)) as { v: object };
    expect(back.v.constructor.name).toBe("HumanMessage");
  });

  it("records written by the old serializer (before this change) load as data, not classes", async () => {
    const old = new JsonPlusSerializer();
    const [type, bytes] = await old.dumpsTyped({ v: HOSTILE_PAYLOADS[0][1], gone: undefined, s: new Set([1]) });
    const back = (await serde.loadsTyped(type, bytes)) as Record<string, unknown>;
    expect(back.v).toEqual(HOSTILE_PAYLOADS[0][1]);
    expect(isPlainJson(back.v)).toBe(true);
    // The serializer's own records still work: undefined and Set come back.
    expect("gone" in back && back.gone === undefined).toBe(true);
    expect(back.s).toEqual(new Set([1]));
  });

  it("Parallel map sends carry their item as data", async () => {
    const item = { lc: 1, type: "constructor", id: ["langchain_core", "messages", "AIMessage"], kwargs: { content: "x" } };
    const [type, bytes] = await serde.dumpsTyped([new Send("each@map", { item })]);
    const back = (await serde.loadsTyped(type, bytes)) as { node: string; args: { item: unknown } }[];
    expect(back[0]).toMatchObject({ node: "each@map", args: { item } });
    expect(isPlainJson(back[0].args.item)).toBe(true);
  });
});

describe("a run paused on a checkpoint resumes with the same data", () => {
  const hostile = HOSTILE_PAYLOADS[0][1];
  const doc = buildWorkflow(
    [
      ["start", "start", {}],
      ["h", "http-request", { url: "https://api.test/x", allowedHosts: ["api.test"] }],
      ["js", "js-transform", { code: `return { fromCode: ${JSON.stringify(HOSTILE_PAYLOADS[5][1])}, gone: ${JSON.stringify(HOSTILE_PAYLOADS[4][1])} };` }],
      ["ap", "human-approval", { instructions: "ok?" }],
      ["o", "output", { value: "{{json js}}|{{json h.body}}" }],
    ],
    ["start->h", "h->js", "js->ap", "ap->o:approved"],
  );
  // The HTTP answer comes from a stub (no network): a body shaped like a LangChain constructor record.
  const services = createDefaultServices({
    fetch: async () => new Response(JSON.stringify(hostile), { status: 200, headers: { "content-type": "application/json" } }),
  });

  it.each(["memory", ":memory:"])("on the %s checkpointer", async (target) => {
    const checkpointer = await createCheckpointer(target);
    try {
      const compiled = compileWorkflow(doc, services);
      const first = await collectRun(compiled, { runId: `lc-${target}`, input: {}, checkpointer });
      expect(first.outcome.status).toBe("waiting");
      const second = await collectRun(compiled, { runId: `lc-${target}`, checkpointer, resume: { approved: true, nodeId: "ap" } });
      expect(second.outcome.status).toBe("succeeded");
      const [js, body] = String(second.outcome.result).split("|");
      expect(JSON.parse(js)).toEqual({ fromCode: HOSTILE_PAYLOADS[5][1], gone: HOSTILE_PAYLOADS[4][1] });
      expect(JSON.parse(body)).toEqual(hostile);
    } finally {
      await closeCheckpointer(checkpointer);
    }
  });
});
