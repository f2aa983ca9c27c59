import { describe, expect, it } from "vitest";
import { PIN_MAX_BYTES } from "@/lib/workflow";
import { canPin, parsePinText, pinFromRun, pinTooLarge, typedPin } from "./pins";

describe("parsePinText", () => {
  it("accepts a JSON object", () => {
    expect(parsePinText('{ "answer": 42 }')).toEqual({ ok: true, output: { answer: 42 } });
  });

  it("refuses empty text, JSON that does not parse and values that are not objects, saying why", () => {
    expect(parsePinText("  ")).toMatchObject({ ok: false, message: expect.stringMatching(/JSON object/) });
    expect(parsePinText("{ answer: 42 }")).toMatchObject({ ok: false, message: expect.stringMatching(/^This is not valid JSON: /) });
    expect(parsePinText("[1, 2]")).toMatchObject({ ok: false, message: expect.stringMatching(/must be a JSON object/) });
    expect(parsePinText('"text"')).toMatchObject({ ok: false });
  });

  it("refuses more than 1 MB", () => {
    const r = parsePinText(JSON.stringify({ big: "x".repeat(PIN_MAX_BYTES) }));
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/at most 1 MB/) });
    expect(pinTooLarge({ big: "x".repeat(PIN_MAX_BYTES) })).toMatch(/^The output is 1\.00 MB/);
    expect(pinTooLarge({ small: 1 })).toBeNull();
  });
});

describe("pins from runs and typed JSON", () => {
  const now = new Date("2026-12-06T20:00:00.000Z");
  it("a pin from a run keeps the run and the port it took", () => {
    expect(pinFromRun({ a: 1 }, "route:yes", "run_1", now)).toEqual({
      output: { a: 1 },
      port: "route:yes",
      pinnedAt: "2026-12-06T20:00:00.000Z",
      fromRunId: "run_1",
    });
    expect(pinFromRun({ a: 1 }, undefined, "run_1", now)).not.toHaveProperty("port");
    expect(typedPin({ a: 1 }, now)).toEqual({ output: { a: 1 }, pinnedAt: "2026-12-06T20:00:00.000Z" });
  });

  it("Output nodes cannot be pinned", () => {
    expect(canPin("output")).toBe(false);
    expect(canPin("agent")).toBe(true);
  });
});
