// `aura … --server URL`: the CLI against a running Aura server, over the typed client
// (lib/api/aura-client.ts) with an API token. bin/aura.mjs picks this or the local engine CLI
// (lib/engine/cli.ts) from --server / AURA_SERVER.
import { readFileSync } from "node:fs";
import { exampleInput, startFieldsOf } from "@/lib/workflow";
import type { RunEvent } from "@/lib/contracts";
import { ApiRequestError, AuraClient } from "@/lib/api/aura-client";

export const SERVER_USAGE = `Usage (server mode): aura <command> --server <url> [--token <token>] [options]

Commands:
  run <workflow>          Start a run of a workflow on the server (its id, or its exact name) and
                          print its events as JSON lines as they happen (Server-Sent Events)
  workflows               List the server's workflows (id, version, name) as JSON lines
  import <file.aura.json> Import a workflow document; prints { id, name }

Connection:
  --server <url>          The server, e.g. http://localhost:3000 (or AURA_SERVER)
  --token <token>         API token, sent as Authorization: Bearer (or AURA_TOKEN)
  --local                 Ignore AURA_SERVER and run on this machine's engine

run options:
  --input '<json>' | --input-file <path> | --example   (as in local mode)
  --pinned                Use the document's pinned outputs
  --approve | --reject    Answer every Human approval automatically (otherwise exit 3 when one waits)
  --quiet                 Print only the final result (as JSON)
  --no-tokens             Leave token events out

Exit codes: 0 succeeded, 1 run failed or was cancelled, 2 bad usage / file / input / unknown workflow,
3 waiting for approval, 4 the server could not be reached or refused the token.`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  /** Injected by tests: answers requests in-process. */
  fetch?: typeof fetch;
}

interface Args {
  command?: string;
  target?: string;
  server?: string;
  token?: string;
  input?: string;
  inputFile?: string;
  example?: boolean;
  pinned?: boolean;
  approve?: boolean;
  reject?: boolean;
  quiet?: boolean;
  tokens: boolean;
}

const VALUE_FLAGS: Record<string, keyof Args> = { "--server": "server", "--token": "token", "--input": "input", "--input-file": "inputFile" };
const BOOL_FLAGS: Record<string, keyof Args> = {
  "--example": "example",
  "--pinned": "pinned",
  "--approve": "approve",
  "--reject": "reject",
  "--quiet": "quiet",
};

function parseArgs(argv: string[], env: Io["env"]): Args | string {
  const args: Args = { tokens: true, server: env.AURA_SERVER || undefined, token: env.AURA_TOKEN || undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] =
      argv[i].startsWith("--") && argv[i].includes("=")
        ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)]
        : [argv[i], undefined];
    if (flag in VALUE_FLAGS) {
      const v = inline ?? argv[++i];
      if (v === undefined) return `${flag} needs a value.`;
      (args as unknown as Record<string, unknown>)[VALUE_FLAGS[flag]] = v;
    } else if (flag in BOOL_FLAGS) (args as unknown as Record<string, unknown>)[BOOL_FLAGS[flag]] = true;
    else if (flag === "--no-tokens") args.tokens = false;
    else if (flag === "--local") continue;
    else if (["--checkpointer", "--thread", "--continue"].includes(flag)) return `${flag} works only in local mode: the server keeps its own checkpoints.`;
    else if (flag.startsWith("-")) return flag === "-h" || flag === "--help" ? "" : `Unknown option "${flag}".`;
    else if (!args.command) args.command = flag;
    else if (!args.target) args.target = flag;
    else return `Unexpected argument "${flag}".`;
  }
  if (!args.command) return "";
  if (!["run", "workflows", "import"].includes(args.command)) return `Unknown command "${args.command}".`;
  if (!args.server) return "Missing the server: --server http://host:3000 (or AURA_SERVER).";
  if (args.command !== "workflows" && !args.target) return args.command === "run" ? "Missing the workflow (its id or name)." : "Missing the file to import.";
  return args;
}

/** The CLI in server mode: returns the exit code. */
export async function serverMain(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, io.env);
  if (typeof args === "string") {
    if (args) io.stderr(`aura: ${args}\n\n`);
    io.stderr(`${SERVER_USAGE}\n`);
    return args ? 2 : 0;
  }
  const fail = (message: string, code = 2) => {
    io.stderr(`aura: ${message}\n`);
    return code;
  };
  try {
    const api = new AuraClient({ baseUrl: args.server!, token: args.token, fetch: io.fetch });
    if (args.command === "workflows") {
      for (const w of await api.listWorkflows())
        io.stdout(`${JSON.stringify({ id: w.id, version: w.version, name: w.name, lastRunStatus: w.lastRunStatus })}\n`);
      return 0;
    }
    if (args.command === "import") {
      let document: unknown;
      try {
        document = JSON.parse(readFileSync(args.target!, "utf8"));
      } catch (err) {
        return fail(`Cannot read ${args.target}: ${(err as Error).message}`);
      }
      io.stdout(`${JSON.stringify(await api.importWorkflow(document))}\n`);
      return 0;
    }
    return await run(api, args, io, fail);
  } catch (err) {
    if (!(err instanceof ApiRequestError)) throw err;
    const issues = err.issues.map((i) => `\n  ${i.path}: ${i.code}: ${i.message}`).join("");
    const unreachable = err.status === 0 || err.status === 401 || err.status === 403 || err.status >= 500;
    return fail(`${err.code}: ${err.message}${issues}`, unreachable && err.code !== "BAD_BASE_URL" ? 4 : 2);
  }
}

async function run(api: AuraClient, args: Args, io: Io, fail: (m: string, code?: number) => number): Promise<number> {
  const found = await resolveWorkflow(api, args.target!);
  if (typeof found !== "string") return fail(found.error);
  const workflowId = found;

  let input: unknown = {};
  try {
    if (args.inputFile) input = JSON.parse(readFileSync(args.inputFile, "utf8"));
    else if (args.input !== undefined) input = JSON.parse(args.input);
  } catch (err) {
    return fail(`The input is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) return fail("The input must be a JSON object of the Start fields.");
  if (args.example) {
    const { document, name } = await api.getWorkflow(workflowId);
    const examples = exampleInput(startFieldsOf(document));
    const given = input as Record<string, unknown>;
    const missing = examples.missing.filter((m) => !(m in given));
    if (missing.length)
      return fail(`--example: ${missing.map((m) => `"${m}"`).join(", ")} of "${name}" required but without an example; give it with --input.`);
    input = { ...examples.input, ...given };
  }

  let last: RunEvent | undefined;
  let runId: string | undefined;
  for await (const event of api.streamNewRun(workflowId, { input: input as Record<string, unknown>, trigger: "cli", usePinnedData: args.pinned === true })) {
    runId = event.runId;
    last = event;
    if (!args.quiet && (args.tokens || event.type !== "token")) io.stdout(`${JSON.stringify(event)}\n`);
    if (event.type !== "node.waiting") continue;
    if (!args.approve && !args.reject)
      return fail(
        `The run ${runId} is waiting for approval at "${event.nodeId}"; answer it in the app, or with POST ${api.baseUrl}/api/runs/${runId}/approvals/${event.nodeId} ({"approved":true}), or run with --approve / --reject.`,
        3,
      );
    await answer(api, event.runId, event.nodeId, { approved: !!args.approve, comment: "answered by aura run", interruptId: event.interruptId });
  }
  if (last?.type === "run.finished") {
    if (args.quiet) io.stdout(`${JSON.stringify(last.result)}\n`);
    return 0;
  }
  if (last?.type === "run.failed") return fail(`The run failed${last.nodeId ? ` at "${last.nodeId}"` : ""}: ${last.error.code}: ${last.error.message}`, 1);
  if (last?.type === "run.cancelled") return fail("The run was cancelled.", 1);
  return fail(`The server closed the event stream before the run ended${runId ? `; follow it with GET ${api.baseUrl}/api/runs/${runId}/stream` : ""}.`, 4);
}

/**
 * Answers an approval. The node.waiting event can arrive before the run's row says "waiting" (the
 * server publishes the event first), and then the server answers 409: try again for up to 5 s.
 */
async function answer(api: AuraClient, runId: string, nodeId: string, body: Parameters<AuraClient["answerApproval"]>[2]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await api.answerApproval(runId, nodeId, body);
      return;
    } catch (err) {
      if (!(err instanceof ApiRequestError && err.code === "RUN_STATE_CONFLICT" && attempt < 50)) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A workflow id as given, or the id of the one workflow with exactly that name. */
async function resolveWorkflow(api: AuraClient, target: string): Promise<string | { error: string }> {
  const list = await api.listWorkflows();
  if (list.some((w) => w.id === target)) return target;
  const named = list.filter((w) => w.name === target);
  if (named.length === 1) return named[0].id;
  if (named.length > 1) return { error: `${named.length} workflows are named "${target}" (${named.map((w) => w.id).join(", ")}); give the id.` };
  return { error: `The server has no workflow "${target}" (by id or name); list them with: aura workflows --server ${api.baseUrl}` };
}
