import { z } from "zod";
import { defineKind, IN, OUT } from "./types";
import { credentialId, credentialName, outputKey, requiredText, template } from "./fields";

const toolHelp = " Wire it after another node to run it as a step, or to an Agent's Tools port to let the model call it.";

export const httpRequest = defineKind({
  kind: "http-request",
  label: "HTTP request",
  category: "Tools",
  icon: "Globe",
  color: "#2563eb",
  description: "Calls an HTTP endpoint; only allowed hosts are reached.",
  help:
    "Sends a request and stores the response (status, headers, body; JSON bodies are parsed). The host must be listed under Allowed hosts. Responses larger than the cap fail the node." +
    toolHelp,
  configSchema: z.object({
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("GET").describe("Method"),
    url: requiredText("URL", 4000).describe("URL (templates allowed)"),
    headers: z
      .array(z.object({ name: requiredText("Header name", 200), value: z.string().max(4000).default("") }))
      .max(50)
      .default([])
      .describe("Headers"),
    body: z.string().max(100_000).default("").describe("Body (template)").meta({ widget: "template" }),
    timeoutMs: z.number().int().min(100).max(300_000).default(10_000).describe("Timeout (ms)"),
    allowedHosts: z.array(z.string().min(1).max(253)).max(100).default([]).describe("Allowed hosts"),
    maxResponseBytes: z
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(1024 * 1024)
      .describe("Max response size (bytes)"),
    auth: z
      .object({
        credentialId: credentialId(["http-bearer", "http-basic", "http-header"], "Credential (sets the Authorization or the credential's header)"),
        credentialName: credentialName(),
      })
      .optional()
      .describe("Authentication"),
    outputKey: outputKey(),
  }),
  defaultConfig: {
    method: "GET",
    url: "https://example.com/api",
    headers: [],
    body: "",
    timeoutMs: 10_000,
    allowedHosts: ["example.com"],
    maxResponseBytes: 1048576,
    outputKey: "",
  },
  inputs: [IN],
  outputs: () => [OUT],
});

export const jsTransform = defineKind({
  kind: "js-transform",
  label: "JavaScript transform",
  category: "Tools",
  icon: "Code",
  color: "#ca8a04",
  description: "Runs your JavaScript on the state in an isolated sandbox.",
  help:
    "The code is the body of a function that receives `state` and returns the value to store. It runs in a sandbox with a time and memory limit and no access to the process, files or network." +
    toolHelp,
  configSchema: z.object({
    code: requiredText("Code", 100_000).describe("Code").meta({ widget: "code" }),
    timeoutMs: z.number().int().min(10).max(60_000).default(1000).describe("Time limit (ms)"),
    memoryLimitMb: z.number().int().min(8).max(512).default(32).describe("Memory limit (MB)"),
    outputKey: outputKey(),
  }),
  defaultConfig: { code: "return { length: String(state.input ?? '').length };", timeoutMs: 1000, memoryLimitMb: 32, outputKey: "" },
  inputs: [IN],
  outputs: () => [OUT],
});

export const templateKind = defineKind({
  kind: "template",
  label: "Template",
  category: "Tools",
  icon: "FileText",
  color: "#0891b2",
  description: "Renders text from the state.",
  help: "Renders the template with {{field}} placeholders (dotted paths allowed, {{json field}} embeds JSON) and stores the text." + toolHelp,
  configSchema: z.object({
    template: requiredText("Template", 100_000).describe("Template").meta({ widget: "template" }),
    outputKey: outputKey(),
  }),
  defaultConfig: { template: "Summary of {{input}}", outputKey: "" },
  inputs: [IN],
  outputs: () => [OUT],
});

export const jsonExtract = defineKind({
  kind: "json-extract",
  label: "JSON extract",
  category: "Tools",
  icon: "Braces",
  color: "#0d9488",
  description: "Pulls a value out of JSON with a path.",
  help: "Reads the source field (parsing it if it is JSON text) and stores the value at the JSON path, e.g. $.items[0].name." + toolHelp,
  configSchema: z.object({
    source: requiredText("Source field", 200).describe("Source field"),
    path: z
      .string()
      .trim()
      .regex(/^\$(\.[A-Za-z_$][\w$]*|\[\d+\]|\[\*\])*$/, "Path must look like $.a.b[0] or $.items[*].name")
      .describe("JSON path"),
    outputKey: outputKey(),
  }),
  defaultConfig: { source: "input", path: "$", outputKey: "" },
  inputs: [IN],
  outputs: () => [OUT],
});

export const sentiment = defineKind({
  kind: "sentiment",
  label: "Sentiment analysis",
  category: "Tools",
  icon: "Smile",
  color: "#db2777",
  description: "Scores the sentiment of text (lexicon-based).",
  help:
    "Scores the rendered text with a lexicon-based analyser and stores { score, comparative, label } where label is positive, neutral or negative." + toolHelp,
  configSchema: z.object({
    text: template("Text (template)", "{{input}}"),
    outputKey: outputKey(),
  }),
  defaultConfig: { text: "{{input}}", outputKey: "" },
  inputs: [IN],
  outputs: () => [OUT],
});

export const delay = defineKind({
  kind: "delay",
  label: "Delay",
  category: "Tools",
  icon: "Timer",
  color: "#64748b",
  description: "Waits before continuing.",
  help: "Pauses this branch for the given time. A cancelled run stops waiting at once." + toolHelp,
  configSchema: z.object({
    ms: z.number().int().min(0).max(86_400_000).describe("Wait (ms)"),
  }),
  defaultConfig: { ms: 1000 },
  inputs: [IN],
  outputs: () => [OUT],
});
