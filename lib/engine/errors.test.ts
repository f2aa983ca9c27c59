import { describe, expect, it } from "vitest";
import { EngineError, EngineErrorCode, httpStatusCode, isEngineCodePrefix, isRetryableCode, toEventError } from "./errors";
import { shouldRetry } from "./node-function";

describe("engine error codes", () => {
  it("retries by default only what may pass on a second try: timeouts, rate limits, 5xx, network", () => {
    for (const code of [
      "NODE_TIMEOUT",
      "HTTP_TIMEOUT",
      "HTTP_NETWORK",
      "HTTP_429",
      "HTTP_500",
      "HTTP_503",
      "MODEL_RATE_LIMITED",
      "MODEL_SERVER_ERROR",
      "MODEL_UNREACHABLE",
    ]) {
      expect(isRetryableCode(code), code).toBe(true);
    }
    for (const code of ["HTTP_404", "HTTP_400", "HTTP_5", "JS_ERROR", "WORKFLOW_INVALID", "MODEL_AUTH_FAILED", "SUB_WORKFLOW_NOT_FOUND", "NODE_ERROR"]) {
      expect(isRetryableCode(code), code).toBe(false);
    }
  });

  it("shouldRetry: empty retryOn decides by code, never by message text", () => {
    expect(shouldRetry({ code: "HTTP_503", message: "x" }, [])).toBe(true);
    expect(shouldRetry({ code: "JS_ERROR", message: "timeout while fetching" }, [])).toBe(false);
  });

  it("shouldRetry: entries naming codes match codes (exactly or as prefix), other entries match the message", () => {
    expect(shouldRetry({ code: "HTTP_503", message: "" }, ["HTTP_5"])).toBe(true);
    expect(shouldRetry({ code: "HTTP_404", message: "" }, ["HTTP_5"])).toBe(false);
    expect(shouldRetry({ code: "MODEL_RATE_LIMITED", message: "" }, ["MODEL_RATE_LIMITED"])).toBe(true);
    // A code-like entry is not looked for in the message (a message saying "HTTP_TIMEOUT" is no timeout).
    expect(shouldRetry({ code: "JS_ERROR", message: "HTTP_TIMEOUT happened" }, ["HTTP_TIMEOUT"])).toBe(false);
    // Fragments written by people (the schema allows them) still match messages.
    expect(shouldRetry({ code: "HTTP_NETWORK", message: "read ECONNRESET" }, ["ECONNRESET"])).toBe(true);
    expect(shouldRetry({ code: "NODE_ERROR", message: "lock busy, try again" }, ["try again"])).toBe(true);
    expect(shouldRetry({ code: "NODE_ERROR", message: "boom" }, ["try again"])).toBe(false);
  });

  it("isEngineCodePrefix knows the closed set", () => {
    expect(isEngineCodePrefix("HTTP_5")).toBe(true);
    expect(isEngineCodePrefix("MODEL_")).toBe(true);
    expect(isEngineCodePrefix("ECONNRESET")).toBe(false);
    expect(isEngineCodePrefix("timeout")).toBe(false);
  });

  it("toEventError keeps an EngineError's code and gives anything else NODE_ERROR", () => {
    expect(toEventError(new EngineError(httpStatusCode(502), "bad gateway"))).toEqual({ code: "HTTP_502", message: "bad gateway" });
    expect(toEventError(Object.assign(new Error("db down"), { code: "P1001" }))).toEqual({ code: EngineErrorCode.NODE_ERROR, message: "db down" });
  });
});
