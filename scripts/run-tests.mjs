// `npm test`: the static checks (lint, format, import boundaries), unit and API tests (vitest), then the production
// build and the e2e tests (Playwright), ending with one line `tests: N passed, N failed` that sums them all.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const run = (cmd, args, extraEnv = {}) => {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  console.log(`(${cmd} ${args[0] ?? ""}: exit ${r.status}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return r.status ?? 1;
};
const readJson = (file) => {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
};

mkdirSync("test-results", { recursive: true });
let passed = 0;
let failed = 0;
const problems = [];

// 1. Static checks first: each counts as one test, and a finding fails CI with a line that names the check.
const staticChecks = [
  { name: "lint (ESLint, zero warnings)", script: "lint" },
  { name: "format (Prettier)", script: "format:check", fix: "npm run format" },
  { name: "import boundaries (dependency-cruiser, DESIGN.md's table)", script: "deps" },
];
for (const check of staticChecks) {
  if (run("npm", ["run", "--silent", check.script]) === 0) passed += 1;
  else {
    failed += 1;
    problems.push(`${check.name} failed: run \`npm run ${check.script}\`${check.fix ? ` (fix with \`${check.fix}\`)` : ""} and fix what it reports`);
  }
}

// 2. Unit + API tests.
rmSync("test-results/vitest.json", { force: true });
const unitExit = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/vitest.json"]);
const unit = readJson("test-results/vitest.json");
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  if (unitExit !== 0 && unit.numFailedTests === 0) problems.push(`vitest exited ${unitExit} (a suite failed to load?)`);
} else problems.push("vitest wrote no report");
if (unit && unit.numFailedTestSuites > 0 && unit.numFailedTests === 0) failed += unit.numFailedTestSuites;

// 3. Production build, then e2e in real Chromium.
const skipE2e = process.env.SKIP_E2E === "1";
if (!skipE2e) {
  const buildExit = run("npm", ["run", "build"]);
  if (buildExit !== 0) {
    problems.push("the production build failed, so no e2e test ran");
    failed += 1;
  } else {
    rmSync("test-results/e2e.json", { force: true });
    const e2eExit = run("npx", ["playwright", "test"]);
    const e2e = readJson("test-results/e2e.json");
    if (e2e?.stats) {
      passed += e2e.stats.expected + (e2e.stats.flaky ?? 0);
      failed += e2e.stats.unexpected;
      if (e2eExit !== 0 && e2e.stats.unexpected === 0) {
        problems.push(`playwright exited ${e2eExit}`);
        failed += 1;
      }
    } else {
      problems.push("playwright wrote no report");
      failed += 1;
    }
  }
}

for (const p of problems) console.log(`problem: ${p}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || problems.length > 0 ? 1 : 0);
