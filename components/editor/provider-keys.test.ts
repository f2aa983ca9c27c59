import { describe, expect, it } from "vitest";
import { nodeProviderKeys } from "./provider-keys";

describe("nodeProviderKeys", () => {
  it("names the provider of an agent's model, every router candidate's, and an HTTP request's host", () => {
    expect(nodeProviderKeys("agent", { model: "Anthropic:claude-x" })).toEqual(["model:anthropic"]);
    expect(nodeProviderKeys("agent", { model: "gpt-4o" })).toEqual(["model:openai"]);
    expect(nodeProviderKeys("agent", { model: "" })).toEqual([]);
    expect(nodeProviderKeys("agent", { model: "offline:simulated" })).toEqual([]);
    expect(nodeProviderKeys("model-router", { candidates: [{ model: "openai:a" }, { model: "openai:b" }, { model: "ollama:c" }] })).toEqual([
      "model:openai",
      "model:ollama",
    ]);
    expect(nodeProviderKeys("http-request", { url: "http://127.0.0.1:4001/x?q={{q}}" })).toEqual(["http:127.0.0.1:4001"]);
    expect(nodeProviderKeys("http-request", { url: "https://{{host}}/x" })).toEqual([]);
    expect(nodeProviderKeys("delay", { ms: 1 })).toEqual([]);
  });
});
