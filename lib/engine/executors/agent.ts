import type { NodeConfigOf, WorkflowNode } from "../../workflow";
import { getNodeKind } from "../../workflow";
import { EngineError, EngineErrorCode, toEventError } from "../errors";
import { defaultModelSpec, resolveModel } from "../models/resolve";
import type { ChatMessage, ChatModel, ToolSpec } from "../models/types";
import { INTERNAL, type ModelChoice } from "../state";
import { renderTemplate, templateFields } from "../template";
import { createEscalation } from "../escalation/run-escalation";
import { escalates } from "../escalation/policy";
import { modelSettingsFor } from "./model-credential";
import type { ExecContext, Executor, ExecutorFactory, ExecutorFor } from "./types";

type AgentConfig = NodeConfigOf<"agent">;

interface BoundTool {
  spec: ToolSpec;
  node: WorkflowNode;
  run: Executor;
}

/** A tool's name for the model: its node id with only the characters every provider accepts. */
export const toolName = (node: WorkflowNode) => node.id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);

/** The argument names a tool node takes: the state fields its templates (or code) read. */
function toolParameters(node: WorkflowNode): string[] {
  const names = new Set<string>();
  const visit = (v: unknown) => {
    if (typeof v === "string") {
      for (const f of templateFields(v)) names.add(f);
      if (node.kind === "js-transform") for (const m of v.matchAll(/state\.([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(node.config);
  if (node.kind === "json-extract" && typeof node.config.source === "string") names.add(node.config.source);
  return [...names].filter((n) => /^[A-Za-z_][\w]*$/.test(n)).slice(0, 20);
}

/**
 * The cost from the provider's token counts and the Model router's price for `spec`; the offline
 * model is free; a real model with no known price has no cost (undefined, not a misleading $0).
 */
function tokenCost(spec: string, tokens: { input: number; output: number }, choice: ModelChoice | undefined, simulated: boolean): number | undefined {
  const per1k = choice?.costs[spec] ?? (simulated ? 0 : undefined);
  if (per1k === undefined) return undefined;
  return Math.round(((tokens.input + tokens.output) / 1000) * per1k * 1e6) / 1e6;
}

/**
 * Agent: calls the model with the role, system prompt and rendered prompt; when the model asks for
 * tools (the Tool nodes wired to its Tools port) it runs them and calls the model again, up to Max
 * steps turns (the last turn offers no tools, so it must answer). Tokens stream as `token` events.
 * The model is the node's own, else the upstream Model router's choice with its fallback chain, else
 * the default (the offline Simulated model unless configured).
 * A tool is any other node kind, so the agent runs it through `createToolExecutor` (executors/index.ts
 * passes its createExecutor in): taking it as a parameter keeps this file from importing the registry
 * that imports it (an import cycle).
 */
export const createAgentExecutor =
  (createToolExecutor: ExecutorFactory): ExecutorFor<"agent"> =>
  (node, plan, services) => {
    const tools: BoundTool[] = (plan.tools.get(node.id) ?? []).map((id) => {
      const toolNode = plan.nodes.get(id)!;
      const def = getNodeKind(toolNode.kind);
      const params = toolParameters(toolNode);
      return {
        node: toolNode,
        run: createToolExecutor(toolNode, plan, services),
        spec: {
          name: toolName(toolNode),
          description: `${toolNode.label}: ${def?.description ?? toolNode.kind}`.slice(0, 1000),
          parameters: {
            type: "object",
            properties: Object.fromEntries(params.map((p) => [p, { type: "string", description: `Value for "${p}" (default: the run's value)` }])),
          },
        },
      };
    });

    const callTool = async (ctx: ExecContext<AgentConfig>, tool: BoundTool, args: Record<string, unknown>): Promise<string> => {
      const base = { runId: ctx.runId, nodeId: tool.node.id, kind: tool.node.kind, calledBy: ctx.node.id, ...ctx.where };
      const started = Date.now();
      ctx.emitRaw({ ...base, type: "node.started", ts: started, attempt: 1 });
      try {
        const result = await tool.run({ ...ctx, node: tool.node, config: plan.configs.get(tool.node.id)!, state: { ...ctx.state, ...args } });
        ctx.emitRaw({
          ...base,
          type: "node.finished",
          ts: Date.now(),
          attempt: 1,
          durationMs: Date.now() - started,
          ...(result.detail ? { detail: result.detail } : {}),
        });
        const text = typeof result.value === "string" ? result.value : JSON.stringify(result.value ?? null);
        return text.length > 8000 ? `${text.slice(0, 8000)}…` : text;
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        const error = toEventError(err);
        ctx.emitRaw({ ...base, type: "node.failed", ts: Date.now(), attempt: 1, durationMs: Date.now() - started, error, handled: true });
        return `Error ${error.code}: ${error.message}`;
      }
    };

    const converse = async (ctx: ExecContext<AgentConfig>, model: ChatModel, prompt: { system: string; user: string }, tools: BoundTool[]) => {
      const c = ctx.config;
      const messages: ChatMessage[] = [
        { role: "system", content: prompt.system },
        { role: "user", content: prompt.user },
      ];
      const usage = { input: 0, output: 0 };
      let text = "";
      let toolCalls = 0;
      for (let step = 1; step <= c.maxSteps; step++) {
        // The last turn must answer, but still describes the tools with tool_choice "none": Anthropic
        // rejects a request whose history holds tool_use / tool_result blocks without tool definitions.
        const turn = await model.generate(messages, {
          tools: tools.map((t) => t.spec),
          toolChoice: step < c.maxSteps ? "auto" : "none",
          temperature: c.temperature,
          signal: ctx.signal,
          onToken: (t) => ctx.emit({ type: "token", text: t, model: model.info.id }),
          onThrottle: (n) => ctx.emit({ type: "node.throttled", ...n }),
        });
        usage.input += turn.usage.input;
        usage.output += turn.usage.output;
        text = turn.text;
        if (!turn.toolCalls.length) return { text, usage, steps: step, toolCalls };
        messages.push({ role: "assistant", content: turn.text, toolCalls: turn.toolCalls });
        for (const call of turn.toolCalls) {
          toolCalls++;
          const tool = tools.find((t) => t.spec.name === call.name);
          const content = tool ? await callTool(ctx, tool, call.args) : `Error: there is no tool named "${call.name}".`;
          messages.push({ role: "tool", content, toolCallId: call.id, name: call.name });
        }
      }
      return { text, usage, steps: c.maxSteps, toolCalls, maxStepsReached: true };
    };

    /**
     * One answer from the first model of `chain` that works (the Model router's fallbacks after it):
     * the model loop with `tools`, or throws the failure (one code when every model failed the same way,
     * so retryOn can name it, else MODEL_ERROR).
     */
    const answerWith = async (ctx: ExecContext<AgentConfig>, chain: string[], prompt: { system: string; user: string }, withTools: BoundTool[]) => {
      const choice = ctx.state[INTERNAL.model] as ModelChoice | undefined;
      const failures: { model: string; code: EngineErrorCode; message: string }[] = [];
      for (const spec of chain) {
        try {
          const model = await resolveModel(spec, await modelSettingsFor(ctx, spec));
          const r = await converse(ctx, model, prompt, withTools);
          return {
            text: r.text,
            usage: r.usage,
            costUsd: tokenCost(spec, r.usage, choice, model.info.simulated),
            model: model.info.id,
            detail: {
              model: model.info.id,
              modelLabel: model.info.label,
              steps: r.steps,
              toolCalls: r.toolCalls,
              ...(r.maxStepsReached ? { maxStepsReached: true } : {}),
              ...(failures.length ? { fallbackFrom: failures } : {}),
            },
          };
        } catch (err) {
          if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
          const e = toEventError(err);
          failures.push({ model: spec, ...e });
        }
      }
      const code = failures.every((f) => f.code === failures[0].code) ? failures[0].code : EngineErrorCode.MODEL_ERROR;
      throw new EngineError(
        code,
        failures.length > 1 ? `Every model failed: ${failures.map((f) => `${f.model} (${f.code}: ${f.message})`).join("; ")}` : failures[0].message,
      );
    };

    // The Escalate policy (compiled once: a bad confidence expression fails the compile).
    const parsed = plan.configs.get(node.id) as AgentConfig;
    const escalation = escalates(parsed) ? createEscalation(parsed.escalation) : undefined;

    return async (ctx) => {
      const c = ctx.config;
      const choice = ctx.state[INTERNAL.model] as ModelChoice | undefined;
      const chain = c.model ? [c.model] : choice ? [choice.model, ...choice.fallbacks] : [defaultModelSpec(services.models ?? {})];
      const prompt = { system: `You are the ${c.role}.${c.systemPrompt ? `\n\n${c.systemPrompt}` : ""}`, user: renderTemplate(c.prompt, ctx.state) };
      if (escalation && c.escalation?.enabled) {
        return escalation(
          ctx,
          {
            ask: (_level, messages, modelOverride) => answerWith(ctx, modelOverride ? [modelOverride] : chain, messages, tools),
            judge: (system, user) => answerWith(ctx, c.escalation!.judgeModel ? [c.escalation!.judgeModel] : chain, { system, user }, []),
          },
          prompt,
        );
      }
      const r = await answerWith(ctx, chain, prompt, tools);
      return { value: r.text, tokens: r.usage, costUsd: r.costUsd, model: r.model, detail: r.detail };
    };
  };
