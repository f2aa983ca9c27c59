import type { ThrottleNotice } from "../resilience/guard";

/** A provider-neutral chat model, so the Agent executor has one code path for every provider. */
export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: ToolCall[] }
  | { role: "tool"; content: string; toolCallId: string; name: string };

/** A tool offered to the model; `parameters` is a JSON schema object. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ModelTurn {
  text: string;
  toolCalls: ToolCall[];
  usage: { input: number; output: number };
}

export interface ModelInfo {
  /** The "provider:model" string. */
  id: string;
  provider: string;
  /** What the UI shows, e.g. "Simulated model" for the offline one. */
  label: string;
  simulated: boolean;
}

export interface GenerateOptions {
  tools: ToolSpec[];
  temperature: number;
  /** "none": the tools are described but must not be called (the agent's last turn). Default "auto". */
  toolChoice?: "auto" | "none";
  signal: AbortSignal;
  /** Called with each streamed text chunk. */
  onToken: (text: string) => void;
  /** Called when the call waits for the provider's rate limit, and when its turn comes (lib/engine/resilience). */
  onThrottle?: (notice: ThrottleNotice) => void;
}

export interface ChatModel {
  readonly info: ModelInfo;
  generate(messages: ChatMessage[], options: GenerateOptions): Promise<ModelTurn>;
}

/** An OpenAI-compatible endpoint or Anthropic, configured by the server (env vars are the fallback). */
export interface ProviderConfig {
  type: "openai-compatible" | "anthropic";
  baseUrl?: string;
  apiKey?: string;
}
