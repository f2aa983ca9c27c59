// deploy/: the Compose file is valid against the Compose Specification's JSON schema and carries what
// the app needs; the Dockerfile has the stages and commands the README describes. No Docker engine
// runs here; `node deploy/check.mjs --build` runs the Dockerfile's commands outside Docker.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module script without types
import { checkCompose, checkDockerfile, parseDockerfile } from "../deploy/check.mjs";

const compose = readFileSync("deploy/compose.yaml", "utf8");
const dockerfile = readFileSync("deploy/Dockerfile", "utf8");

describe("deploy/compose.yaml", () => {
  it("is valid against the Compose Specification schema and the app's rules", async () => {
    expect(await checkCompose(compose)).toEqual([]);
  });

  it("the schema check catches a misspelt key, and the app's rules a missing variable or worker", async () => {
    const typo = await checkCompose(compose.replace('    healthcheck:\n      test: ["CMD", "node"', '    helthcheck:\n      test: ["CMD", "node"'));
    expect(typo.some((p: string) => p.startsWith("schema:") && p.includes("helthcheck"))).toBe(true);
    const noSecret = await checkCompose(compose.replace(/^ {2}AURA_AUTH_SECRET:.*\n/m, ""));
    expect(noSecret).toContain("web: no AURA_AUTH_SECRET");
    const oneWorker = await checkCompose(compose.replace("replicas: 2", "replicas: 1"));
    expect(oneWorker).toContain("worker: deploy.replicas must be 2");
  });
});

describe("deploy/Dockerfile", () => {
  it("builds in one stage and runs node dist/server.js from a slim runtime stage", () => {
    expect(checkDockerfile(dockerfile)).toEqual([]);
    const stages = parseDockerfile(dockerfile);
    expect(stages.map((s: { name: string }) => s.name)).toEqual(["build", "runtime"]);
  });

  it("reports a runtime stage that forgets the migrations, and an install without optional packages", () => {
    expect(checkDockerfile(dockerfile.replace(/^COPY --from=build .*\/app\/prisma .*\n/m, ""))).toContain(
      "the runtime stage does not copy prisma (the server reads it at run time)",
    );
    expect(checkDockerfile(dockerfile.replace("npm ci --no-audit", "npm ci --omit=optional --no-audit")).join()).toMatch(/optional/);
    // next.config.ts is loaded at start with what it imports (found by `check.mjs --build` once).
    expect(checkDockerfile(dockerfile.replace(/^COPY --from=build .*security-headers.*\n/m, ""))).toContain(
      "the runtime stage does not copy lib/server/security-headers.ts (next.config.ts imports it)",
    );
  });
});
