import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { RunUnsubscribeSchema, type RealtimeAck } from "../contracts/protocol";
import { onRequest } from "./socket-request";

/** Emits a request on a fake socket and resolves with the ack, or "no ack" after the handler ran. */
function ask(socket: EventEmitter, payload: unknown): Promise<RealtimeAck | "no ack"> {
  return new Promise((resolve) => {
    socket.emit("run:unsubscribe", payload, resolve);
    setTimeout(() => resolve("no ack"), 20);
  });
}

describe("onRequest", () => {
  it("answers BAD_REQUEST naming the field, without calling the handler", async () => {
    const socket = new EventEmitter();
    const calls: unknown[] = [];
    onRequest(
      socket,
      "run:unsubscribe",
      RunUnsubscribeSchema,
      () => {},
      (p) => (calls.push(p), { ok: true }),
    );
    expect(await ask(socket, { runId: 5 })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST", message: expect.stringMatching(/^runId: /) } });
    expect(calls).toEqual([]);
    expect(await ask(socket, { runId: "r1" })).toEqual({ ok: true });
    expect(calls).toEqual([{ runId: "r1" }]);
  });

  it("answers INTERNAL and logs when the handler fails; sends nothing when it answers undefined", async () => {
    const socket = new EventEmitter();
    const logged: string[] = [];
    let fail = true;
    onRequest(
      socket,
      "run:unsubscribe",
      RunUnsubscribeSchema,
      (_level, msg) => logged.push(msg),
      async () => {
        if (fail) throw new Error("store down");
        return undefined;
      },
    );
    expect(await ask(socket, { runId: "r1" })).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
    expect(logged).toEqual(["run:unsubscribe failed"]);
    fail = false;
    expect(await ask(socket, { runId: "r1" })).toBe("no ack");
  });

  it("tolerates a missing or non-function ack", () => {
    const socket = new EventEmitter();
    onRequest(
      socket,
      "run:unsubscribe",
      RunUnsubscribeSchema,
      () => {},
      () => ({ ok: true }),
    );
    expect(() => socket.emit("run:unsubscribe", { runId: 1 })).not.toThrow();
    expect(() => socket.emit("run:unsubscribe", { runId: "r" }, "not-a-function")).not.toThrow();
  });
});
