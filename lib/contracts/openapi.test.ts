import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { buildOpenApiDocument } from "./openapi";

type Json = Record<string, any>;
const doc: Json = buildOpenApiDocument();
const operations = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ path, method, op: op as Json })),
);

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document (official schema, @seriousme/openapi-schema-validator)", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("the validator does fail a broken document (so the test above can fail)", async () => {
    const broken = structuredClone(doc);
    broken.paths["/api/health"].get.responses = { "200": { content: {} } }; // a response needs a description
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("every $ref points at a component that exists", () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(30);
    expect(refs.filter((r) => !(r in doc.components.schemas))).toEqual([]);
  });

  it("declares bearer tokens and the session cookie, required globally; public routes opt out", () => {
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: "http", scheme: "bearer" }));
    expect(doc.components.securitySchemes.cookieSession).toEqual(expect.objectContaining({ type: "apiKey", in: "cookie" }));
    expect(doc.security).toEqual([{ bearerAuth: [] }, { cookieSession: [] }]);
    expect(doc.paths["/api/health"].get.security).toEqual([]);
    expect(doc.paths["/api/hooks/{workflowId}"].post.security).toEqual([{ webhookSecret: [] }]);
    expect(doc.paths["/api/runs/{id}"].get.security).toBeUndefined();
    expect(doc.paths["/api/runs/{id}"].get.responses["401"]).toBeDefined();
  });

  it("names better-auth's session cookie (prefix aura) and documents where it is set", () => {
    expect(doc.components.securitySchemes.cookieSession.name).toBe("aura.session_token");
    expect(doc.components.securitySchemes.cookieSession.description).toContain("__Secure-aura.session_token");
    for (const [path, status] of [
      ["/api/auth/sign-in", "200"],
      ["/api/setup", "201"],
      ["/api/access-links/{token}", "200"],
    ])
      expect(doc.paths[path].post.responses[status].headers["Set-Cookie"].description, path).toContain("aura.session_token");
    expect(doc.paths["/api/auth/sign-in"].post.security).toEqual([]);
    expect(doc.paths["/api/auth/sign-in"].post.responses["429"].headers["Retry-After"]).toBeDefined();
    expect(doc.paths["/api/setup"].post.responses["409"].description).toContain("SETUP_DONE");
    expect(doc.paths["/api/access-links/{token}"].get.responses["410"].description).toContain("LINK_EXPIRED");
    expect(doc.paths["/api/credentials/{id}"].delete.responses["409"].description).toContain("CREDENTIAL_IN_USE");
    expect(doc.paths["/api/tokens"].post.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/CreateTokenBody" });
    expect(doc.paths["/api/tokens"].post.responses["415"]).toBeDefined();
    expect(doc.paths["/api/members/{userId}"].patch["x-aura-role"]).toBe("admin");
    expect(doc.paths["/api/audit"].get.parameters.map((p: Json) => p.name)).toEqual(["action", "actorId", "from", "to", "cursor", "limit"]);
  });

  it("errors use the { error: { code, message, issues? } } shape", () => {
    const err = doc.components.schemas.ApiError;
    expect(err.properties.error.required).toEqual(["code", "message"]);
    expect(Object.keys(err.properties.error.properties)).toEqual(expect.arrayContaining(["code", "message", "issues"]));
    expect(doc.paths["/api/workflows/{id}"].put.responses["409"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/ApiError" });
  });

  it("documents path params, ?wait=, request bodies and SSE answers", () => {
    const start = doc.paths["/api/workflows/{id}/runs"].post;
    expect(start.parameters.map((p: Json) => `${p.in}:${p.name}`)).toEqual(["path:id", "query:wait", "header:Accept"]);
    expect(start.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/StartRunBody" });
    expect(Object.keys(start.responses["200"].content)).toEqual(["application/json", "text/event-stream"]);
    expect(Object.keys(start.responses)).toEqual(expect.arrayContaining(["200", "202", "400", "404"]));
    expect(Object.keys(doc.paths["/api/runs/{id}/stream"].get.responses["200"].content)).toEqual(["text/event-stream"]);
    const runs = doc.paths["/api/runs"].get.parameters.map((p: Json) => p.name);
    expect(runs).toEqual(expect.arrayContaining(["workflowId", "status", "trigger", "from", "to", "q", "cursor", "limit"]));
  });

  it("every operation has an id (unique), a summary, a tag and a documented success status", () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations) {
      expect(op.summary, `${method} ${path}`).toBeTruthy();
      expect(op.tags, `${method} ${path}`).toHaveLength(1);
      expect(
        Object.keys(op.responses).some((s) => s.startsWith("2")),
        `${method} ${path}`,
      ).toBe(true);
    }
  });
});
