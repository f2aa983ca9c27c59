import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { ChatMessage, ChatModel, GenerateOptions, ModelInfo, ModelTurn, ProviderConfig } from "./types";
import { toModelError } from "./errors";
import { modelLabel } from "../../workflow/model-label";
import { guardCall } from "../resilience/guard";
import type { ResilienceService } from "../resilience/service";

/** A rough token count before the call (about 4 characters a token), corrected by the real usage after it. */
export function estimateTokens(messages: ChatMessage[]): number {
  return Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4);
}

function toLangChain(messages: ChatMessage[]): BaseMessage[] {
  return messages.map((m) => {
    switch (m.role) {
      case "system":
        return new SystemMessage(m.content);
      case "user":
        return new HumanMessage(m.content);
      case "assistant":
        return new AIMessage({
          content: m.content,
          tool_calls: (m.toolCalls ?? []).map((c) => ({ id: c.id, name: c.name, args: c.args, type: "tool_call" as const })),
        });
      case "tool":
        return new ToolMessage({ content: m.content, tool_call_id: m.toolCallId, name: m.name });
    }
  });
}

function textOf(content: AIMessageChunk["content"]): string {
  if (typeof content === "string") return content;
  return content
    .map((part) =>
      typeof part === "string" ? part : part.type === "text" && typeof (part as { text?: unknown }).text === "string" ? (part as { text: string }).text : "",
    )
    .join("");
}

/**
 * Wraps a LangChain chat model (ChatOpenAI, ChatAnthropic) as a ChatModel that streams tokens.
 * Provider failures become EngineErrors with MODEL_* codes (see ./errors). With a resilience service,
 * each call goes through the provider's circuit breaker and rate limit (`model:<provider>`):
 * CIRCUIT_OPEN while open, a FIFO wait over the limit.
 */
export class LangChainChatModel implements ChatModel {
  constructor(
    readonly info: ModelInfo,
    private readonly config: ProviderConfig,
    private readonly make: (temperature: number) => BaseChatModel,
    private readonly resilience?: ResilienceService,
  ) {}

  async generate(messages: ChatMessage[], options: GenerateOptions): Promise<ModelTurn> {
    return guardCall(
      this.resilience,
      { key: `model:${this.info.provider}`, tokens: estimateTokens(messages) },
      { signal: options.signal, onThrottle: options.onThrottle },
      async () => {
        try {
          return await this.stream(messages, options);
        } catch (err) {
          throw toModelError(err, this.info, this.config);
        }
      },
      (turn) => turn.usage.input + turn.usage.output,
    );
  }

  private async stream(messages: ChatMessage[], options: GenerateOptions): Promise<ModelTurn> {
    const base = this.make(options.temperature);
    const model =
      options.tools.length && base.bindTools
        ? base.bindTools(
            options.tools.map((t) => ({ type: "function" as const, function: { name: t.name, description: t.description, parameters: t.parameters } })),
            options.toolChoice === "none" ? { tool_choice: "none" } : {},
          )
        : base;
    let full: AIMessageChunk | undefined;
    // Usage is the largest figure any chunk reports, not the sum: Anthropic's message_delta repeats
    // the cumulative output count after message_start's preliminary one (LangChain's concat adds
    // them), and some OpenAI-compatible servers send cumulative usage on every chunk.
    const usage = { input: 0, output: 0 };
    for await (const chunk of await model.stream(toLangChain(messages), { signal: options.signal })) {
      const text = textOf(chunk.content);
      if (text) options.onToken(text);
      usage.input = Math.max(usage.input, chunk.usage_metadata?.input_tokens ?? 0);
      usage.output = Math.max(usage.output, chunk.usage_metadata?.output_tokens ?? 0);
      full = full ? full.concat(chunk) : chunk;
    }
    return {
      text: full ? textOf(full.content) : "",
      toolCalls: (full?.tool_calls ?? []).map((c, i) => ({ id: c.id ?? `call_${i}`, name: c.name, args: (c.args ?? {}) as Record<string, unknown> })),
      usage,
    };
  }
}

/** A ChatModel for `provider` (already known to be configured) and `model`. */
export async function createLangChainModel(provider: string, model: string, config: ProviderConfig, resilience?: ResilienceService): Promise<ChatModel> {
  const info: ModelInfo = { id: `${provider}:${model}`, provider, label: modelLabel(`${provider}:${model}`), simulated: false };
  if (config.type === "anthropic") {
    const { ChatAnthropic } = await import("@langchain/anthropic");
    // The Anthropic client appends /v1/messages itself; accept a base URL given with /v1 as well.
    const anthropicApiUrl = config.baseUrl?.replace(/\/+$/, "").replace(/\/v1$/, "");
    return new LangChainChatModel(
      info,
      config,
      (temperature) => new ChatAnthropic({ model, apiKey: config.apiKey, temperature, ...(anthropicApiUrl ? { anthropicApiUrl } : {}), maxRetries: 0 }),
      resilience,
    );
  }
  const { ChatOpenAI } = await import("@langchain/openai");
  return new LangChainChatModel(
    info,
    config,
    (temperature) =>
      new ChatOpenAI({
        model,
        apiKey: config.apiKey ?? "not-needed",
        temperature,
        streamUsage: true,
        useResponsesApi: false,
        maxRetries: 0,
        configuration: config.baseUrl ? { baseURL: config.baseUrl } : undefined,
      }),
    resilience,
  );
}
