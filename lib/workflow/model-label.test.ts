import { describe, expect, it } from "vitest";
import { modelLabel } from "./model-label";

describe("modelLabel", () => {
  it("names the offline model the Simulated model, and real models by name and provider", () => {
    expect(modelLabel("offline:simulated")).toBe("Simulated model");
    expect(modelLabel("offline:anything")).toBe("Simulated model");
    expect(modelLabel("openai:gpt-4o-mini")).toBe("gpt-4o-mini (openai)");
    expect(modelLabel("ollama:llama3:8b")).toBe("llama3:8b (ollama)");
    expect(modelLabel("custom")).toBe("custom");
  });
});
