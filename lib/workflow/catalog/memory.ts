import { z } from "zod";
import { defineKind, IN, OUT } from "./types";
import { outputKey, requiredText, template } from "./fields";

const namespace = () =>
  z
    .string()
    .trim()
    .min(1, "Namespace is required")
    .max(100)
    .regex(/^[\w.-]+$/, "Namespace may contain letters, digits, '_', '.', '-'")
    .default("default")
    .describe("Namespace");

export const memoryStore = defineKind({
  kind: "memory-store",
  label: "Memory store",
  category: "Memory",
  icon: "Database",
  color: "#059669",
  description: "Remembers an outcome of this run for later runs.",
  help: "Stores the rendered content (with tags) in the workspace's memory under a namespace, so later runs can retrieve similar cases.",
  configSchema: z.object({
    namespace: namespace(),
    content: template("Content (template)", "{{json input}}"),
    tags: z.array(z.string().min(1).max(100)).max(50).default([]).describe("Tags"),
  }),
  defaultConfig: { namespace: "default", content: "{{json input}}", tags: [] },
  inputs: [IN],
  outputs: () => [OUT],
});

export const memoryRetrieve = defineKind({
  kind: "memory-retrieve",
  label: "Memory retrieve",
  category: "Memory",
  icon: "Search",
  color: "#047857",
  description: "Finds the most similar remembered outcomes.",
  help: "Ranks the memories of the namespace by similarity to the rendered query and stores the top K.",
  configSchema: z.object({
    namespace: namespace(),
    query: requiredText("Query", 20_000).describe("Query (template)").meta({ widget: "template" }),
    topK: z.number().int().min(1).max(50).default(3).describe("How many"),
    outputKey: outputKey(),
  }),
  defaultConfig: { namespace: "default", query: "{{input}}", topK: 3, outputKey: "" },
  inputs: [IN],
  outputs: () => [OUT],
});
