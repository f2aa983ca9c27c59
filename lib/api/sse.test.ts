import { describe, expect, it } from "vitest";
import { readSse } from "./sse";

/** A body that delivers `chunks` one by one (to split lines, fields and CRLFs anywhere). */
const body = (chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
      c.close();
    },
  });

const all = async (chunks: string[]) => {
  const out = [];
  for await (const m of readSse(body(chunks))) out.push(m);
  return out;
};

describe("readSse", () => {
  const stream = 'id: 0\nevent: run.queued\ndata: {"seq":0}\n\n: ping\n\nid: 1\r\nevent: run.finished\r\ndata: {"a":\r\ndata: 1}\r\n\r\n';
  const expected = [
    { id: "0", event: "run.queued", data: '{"seq":0}' },
    { id: "1", event: "run.finished", data: '{"a":\n1}' },
  ];

  it("reads messages, joins data lines, drops comments, takes LF and CRLF", async () => {
    expect(await all([stream])).toEqual(expected);
  });

  it("gives the same messages however the body is split (even inside a CRLF)", async () => {
    for (let size = 1; size <= 7; size++) {
      const chunks = stream.match(new RegExp(`[\\s\\S]{1,${size}}`, "g"))!;
      expect(await all(chunks), `chunks of ${size}`).toEqual(expected);
    }
  });

  it("leaves out an unfinished last message and defaults the event name", async () => {
    expect(await all(["data: x\n\n", "data: cut"])).toEqual([{ id: undefined, event: "message", data: "x" }]);
  });

  it("cancels the body when the reader stops early", async () => {
    let cancelled = false;
    const source = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new TextEncoder().encode("data: 1\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const m of readSse(source)) {
      expect(m.data).toBe("1");
      break;
    }
    expect(cancelled).toBe(true);
  });
});
