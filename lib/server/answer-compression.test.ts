import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { mayCompressAnswer, skipCompressionWhereUseless } from "./answer-compression";

describe("answer compression", () => {
  it("keeps gzip for pages, assets and API reads, not for API changes", () => {
    expect(mayCompressAnswer("GET", "/workflows/wf_1")).toBe(true);
    expect(mayCompressAnswer("GET", "/_next/static/chunks/a.js")).toBe(true);
    expect(mayCompressAnswer("GET", "/api/runs?limit=50")).toBe(true);
    expect(mayCompressAnswer("HEAD", "/api/health")).toBe(true);
    expect(mayCompressAnswer("POST", "/api/workflows/wf_1/runs?wait=30")).toBe(false);
    expect(mayCompressAnswer("PUT", "/api/workflows/wf_1")).toBe(false);
    expect(mayCompressAnswer("DELETE", "/api/tokens/tok_1")).toBe(false);
    expect(mayCompressAnswer("POST", "/api/hooks/wf_1/s3cret")).toBe(false);
  });

  it("removes Accept-Encoding only from requests whose answer stays uncompressed", () => {
    const req = (method: string, url: string) => ({ method, url, headers: { "accept-encoding": "gzip, br" } }) as unknown as IncomingMessage;
    const post = req("POST", "/api/workflows/wf_1/runs?wait=30");
    skipCompressionWhereUseless(post);
    expect(post.headers["accept-encoding"]).toBeUndefined();
    const list = req("GET", "/api/runs");
    skipCompressionWhereUseless(list);
    expect(list.headers["accept-encoding"]).toBe("gzip, br");
  });
});
