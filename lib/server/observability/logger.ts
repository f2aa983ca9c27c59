// Structured JSON logs: one line per entry on stdout (errors on stderr), with a level, a message and
// context fields (runId, workflowId, …). The one logger of the server process; no dependencies so
// server.ts, route handlers and the run manager can all use it.
import { processSlot } from "../../process-singleton";

export type LogLevel = "debug" | "info" | "warn" | "error" | "fatal";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, fatal: 50 };

export interface LogFields {
  runId?: string;
  workflowId?: string;
  nodeId?: string;
  err?: unknown;
  [key: string]: unknown;
}

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  fatal(msg: string, fields?: LogFields): void;
  /** A logger that adds these fields to every entry (e.g. { component: "runs" }). */
  child(fields: LogFields): Logger;
}

/** Where lines go (tests replace it). */
export type LogSink = (line: string, level: LogLevel) => void;

const sinkSlot = processSlot<LogSink>("logSink");
const defaultSink: LogSink = (line, level) => (RANK[level] >= RANK.error ? process.stderr : process.stdout).write(`${line}\n`);

/** Replaces the sink (tests); null restores stdout/stderr. */
export function setLogSink(sink: LogSink | null): void {
  sinkSlot.set(sink ?? undefined);
}

function minLevel(): number {
  const env = (process.env.AURA_LOG_LEVEL ?? process.env.LOG_LEVEL ?? "info").toLowerCase() as LogLevel;
  return RANK[env] ?? RANK.info;
}

/** Errors become { name, message, stack }, so they survive JSON. */
function serialize(v: unknown): unknown {
  if (v instanceof Error)
    return {
      name: v.name,
      message: v.message,
      ...(v.stack ? { stack: v.stack } : {}),
      ...((v as { code?: unknown }).code ? { code: (v as { code?: unknown }).code } : {}),
    };
  return v;
}

function write(level: LogLevel, msg: string, base: LogFields, fields: LogFields | undefined) {
  if (RANK[level] < minLevel()) return;
  const entry: Record<string, unknown> = { time: new Date().toISOString(), level, msg };
  for (const src of [base, fields]) if (src) for (const [k, v] of Object.entries(src)) if (v !== undefined) entry[k] = serialize(v);
  let line: string;
  try {
    line = JSON.stringify(entry);
  } catch {
    line = JSON.stringify({ time: entry.time, level, msg, note: "fields were not serialisable" });
  }
  (sinkSlot.get() ?? defaultSink)(line, level);
}

function make(base: LogFields): Logger {
  return {
    debug: (m, f) => write("debug", m, base, f),
    info: (m, f) => write("info", m, base, f),
    warn: (m, f) => write("warn", m, base, f),
    error: (m, f) => write("error", m, base, f),
    fatal: (m, f) => write("fatal", m, base, f),
    child: (f) => make({ ...base, ...f }),
  };
}

/** The server's logger. Level from AURA_LOG_LEVEL (debug, info, warn, error; default info). */
export const logger: Logger = make({});
