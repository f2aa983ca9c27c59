import { describe, expect, it } from "vitest";
import { ApiRequestError } from "@/lib/api/client";
import { describeImportError, looksLikeJsonFile } from "./import-errors";

describe("describeImportError", () => {
  it("lists a 400's issues with their paths", () => {
    const issues = [{ path: "$.nodes[0].id", code: "SCHEMA_INVALID", message: "id must not be empty" }];
    const p = describeImportError(new ApiRequestError(400, "WORKFLOW_INVALID", "Invalid document", issues));
    expect(p.title).toBe("The document has 1 problem; nothing was imported");
    expect(p.issues).toEqual([{ text: "Node 1's id is empty", ...issues[0] }]);
  });

  it("says each issue in plain words first and keeps code, path and message as detail", () => {
    const issues = [
      { path: "$.name", code: "SCHEMA_INVALID", message: "Invalid input: expected string, received undefined" },
      { path: "$.nodes[0].position.x", code: "SCHEMA_INVALID", message: "Invalid input: expected number, received string" },
    ];
    const p = describeImportError(new ApiRequestError(400, "INVALID_DOCUMENT", "The workflow document is not valid", issues));
    expect(p.issues.map((i) => i.text)).toEqual(["The workflow has no name", "Node 1's position (x) must be a number, not text"]);
    expect(p.issues[0]).toMatchObject(issues[0]);
  });

  it("shows the server's message for 413", () => {
    const p = describeImportError(new ApiRequestError(413, "PAYLOAD_TOO_LARGE", "The body is 6 MB; the limit is 5 MB."));
    expect(p).toEqual({ title: "Too large to import", message: "The body is 6 MB; the limit is 5 MB.", issues: [] });
  });

  it("explains JSON syntax errors from the browser", () => {
    let err: unknown;
    try {
      JSON.parse("{ nope");
    } catch (e) {
      err = e;
    }
    expect(describeImportError(err).title).toBe("This is not valid JSON");
  });
});

describe("looksLikeJsonFile", () => {
  it("accepts .json and .aura.json files and JSON types", () => {
    expect(looksLikeJsonFile({ name: "flow.aura.json", type: "" })).toBe(true);
    expect(looksLikeJsonFile({ name: "FLOW.JSON", type: "" })).toBe(true);
    expect(looksLikeJsonFile({ name: "blob", type: "application/json" })).toBe(true);
    expect(looksLikeJsonFile({ name: "photo.png", type: "image/png" })).toBe(false);
  });
});
