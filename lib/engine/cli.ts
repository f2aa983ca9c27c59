import { readFileSync } from "node:fs";
import { exampleInput, formatPath, parseWorkflow, startFieldsOf } from "../workflow";
import type { EngineEvent } from "../contracts/events";
import { compileWorkflow, type CompiledWorkflow } from "./compile-workflow";
import { closeCheckpointer, createCheckpointer } from "./checkpointer";
import { WorkflowCompileError } from "./errors";
import { checkRunInput } from "./executors/start";
import { runWorkflow, type RunOptions, type RunOutcome } from "./run-workflow";
import { createDefaultServices } from "./services";

const USAGE = `Usage: aura run <file.aura.json> [options]

Runs a workflow headless with the Aura engine and prints its events as JSON lines on stdout.
Models: the offline Simulated model unless AURA_DEFAULT_MODEL / provider keys are set. Memory: in memory.

Options:
  --input '<json>'        Run input (an object with the Start fields), default {}
  --input-file <path>     Read the run input from a JSON file
  --example               Use the Start fields' examples as input (--input / --input-file values win)
  --approve | --reject    Answer every Human approval automatically (otherwise the run stops waiting)
  --checkpointer <target> SQLite file path or postgres:// URL (default: in memory)
  --thread <id>           Thread id (with --continue: the run to continue)
  --continue              Continue the thread from its last checkpoint instead of starting
  --pinned                Use the document's pinned outputs: pinned nodes do not execute
  --quiet                 Print only the final result (as JSON) instead of every event
  --no-tokens             Leave token events out

Exit codes: 0 succeeded, 1 run failed or was cancelled, 2 bad file / input / usage, 3 waiting for approval.

Server mode: with --server <url> (or AURA_SERVER) and an API token (--token or AURA_TOKEN), \`aura run\`
starts the run on that server instead; \`aura --server <url> --help\` lists its commands.`;

interface Args {
  file?: string;
  input?: string;
  inputFile?: string;
  example?: boolean;
  approve?: boolean;
  reject?: boolean;
  checkpointer?: string;
  thread?: string;
  continue?: boolean;
  pinned?: boolean;
  quiet?: boolean;
  tokens: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = { tokens: true };
  if (argv[0] !== "run") return argv.length && !["-h", "--help", "help"].includes(argv[0]) ? `Unknown command "${argv[0]}".` : "";
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value.`);
      return v;
    };
    try {
      if (a === "--input") args.input = value();
      else if (a === "--input-file") args.inputFile = value();
      else if (a === "--checkpointer") args.checkpointer = value();
      else if (a === "--thread") args.thread = value();
      else if (a === "--example") args.example = true;
      else if (a === "--approve") args.approve = true;
      else if (a === "--reject") args.reject = true;
      else if (a === "--continue") args.continue = true;
      else if (a === "--pinned") args.pinned = true;
      else if (a === "--quiet") args.quiet = true;
      else if (a === "--no-tokens") args.tokens = false;
      else if (a.startsWith("-")) return `Unknown option "${a}".`;
      else if (!args.file) args.file = a;
      else return `Unexpected argument "${a}".`;
    } catch (err) {
      return (err as Error).message;
    }
  }
  if (!args.file) return "Missing the workflow file.";
  return args;
}

const fail = (message: string, code = 2) => {
  process.stderr.write(`aura: ${message}\n`);
  return code;
};

/** The CLI: returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    if (args) process.stderr.write(`aura: ${args}\n\n`);
    process.stderr.write(`${USAGE}\n`);
    return args ? 2 : 0;
  }

  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(args.file!, "utf8"));
  } catch (err) {
    return fail(`Cannot read ${args.file}: ${(err as Error).message}`);
  }
  const parsed = parseWorkflow(raw);
  if (!parsed.ok)
    return fail(`${args.file} is not a valid workflow:\n${parsed.issues.map((i) => `  ${formatPath(i.path)}: ${i.code}: ${i.message}`).join("\n")}`);

  let input: Record<string, unknown> | null = {};
  try {
    if (args.inputFile) input = JSON.parse(readFileSync(args.inputFile, "utf8")) as Record<string, unknown> | null;
    else if (args.input !== undefined) input = JSON.parse(args.input) as Record<string, unknown> | null;
  } catch (err) {
    return fail(`The input is not valid JSON: ${(err as Error).message}`);
  }
  // Examples go under the given input (a non-object input is left for checkRunInput to refuse).
  if (args.example && !args.continue && typeof input === "object" && input !== null && !Array.isArray(input)) {
    const examples = exampleInput(startFieldsOf(parsed.document));
    const given = input;
    const missing = examples.missing.filter((name) => !(name in given));
    if (missing.length)
      return fail(
        `--example: the Start field${missing.length === 1 ? "" : "s"} ${missing.map((m) => `"${m}"`).join(", ")} of "${parsed.document.name}" ${missing.length === 1 ? "is" : "are"} required but ${missing.length === 1 ? "has" : "have"} no example; give ${missing.length === 1 ? "it" : "them"} with --input.`,
      );
    input = { ...examples.input, ...given };
  }
  if (!args.continue) {
    const problems = checkRunInput(parsed.document, input);
    if (problems.length)
      return fail(
        `The input does not match the Start fields of "${parsed.document.name}":\n${problems.map((p) => `  ${p.field || "input"}: ${p.message}`).join("\n")}`,
      );
  } else input = null;

  let compiled: CompiledWorkflow;
  try {
    compiled = compileWorkflow(parsed.document, createDefaultServices(), { usePinnedData: args.pinned === true });
  } catch (err) {
    if (err instanceof WorkflowCompileError)
      return fail(`"${parsed.document.name}" cannot run:\n${err.issues.map((i) => `  ${formatPath(i.path)}: ${i.code}: ${i.message}`).join("\n")}`);
    throw err;
  }

  const checkpointer = await createCheckpointer(args.checkpointer ?? "memory");
  const ac = new AbortController();
  const onSignal = () => ac.abort("interrupted (SIGINT)");
  process.once("SIGINT", onSignal);
  const runId = args.thread ?? `cli-${Date.now().toString(36)}`;
  let outcome: RunOutcome;
  try {
    let options: RunOptions = { runId, input, checkpointer, signal: ac.signal };
    for (;;) {
      const it = runWorkflow(compiled, options);
      for (;;) {
        const next = await it.next();
        if (next.done) {
          outcome = next.value;
          break;
        }
        print(next.value, args);
      }
      if (outcome.status !== "waiting" || !(args.approve || args.reject)) break;
      options = {
        runId,
        checkpointer,
        signal: ac.signal,
        resume: { approved: !!args.approve, comment: "answered by aura run", nodeId: outcome.waitingFor?.[0]?.nodeId },
      };
    }
  } finally {
    process.off("SIGINT", onSignal);
    await closeCheckpointer(checkpointer);
  }
  if (args.quiet && outcome.status === "succeeded") process.stdout.write(`${JSON.stringify(outcome.result)}\n`);
  if (outcome.status === "succeeded") return 0;
  if (outcome.status === "waiting")
    return fail(
      `The run is waiting for approval at ${outcome.waitingFor?.map((w) => `"${w.nodeId}"`).join(", ")}; use --approve or --reject${args.checkpointer ? `, or continue later with --thread ${runId}` : ""}.`,
      3,
    );
  return fail(
    outcome.status === "cancelled"
      ? "The run was cancelled."
      : `The run failed${outcome.error?.nodeId ? ` at "${outcome.error.nodeId}"` : ""}: ${outcome.error?.code}: ${outcome.error?.message}`,
    1,
  );
}

function print(event: EngineEvent, args: Args) {
  if (args.quiet || (!args.tokens && event.type === "token")) return;
  process.stdout.write(`${JSON.stringify(event)}\n`);
}
