// A workflow with Set fields nodes run through the HTTP API and the real worker pool (worker threads,
// LangGraph checkpoints in the database), on SQLite and PostgreSQL.
import { describe, expect, it } from "vitest";
import { body, createWorkflow, ctx, req, startRun, waitForRun, useTestDatabase } from "@/test/api-harness";
import { testProviders } from "@/lib/db/testing";
import { buildWorkflow } from "@/lib/engine/testing";
import * as startRoute from "./workflows/[id]/runs/route";

const providers = await testProviders();

const counterWorkflow = (steps: number, expression = "counter + 1") =>
  buildWorkflow(
    [
      [
        "start",
        "start",
        {
          fields: [
            { name: "counter", type: "number", required: false, example: 0 },
            { name: "name", type: "string", required: false },
          ],
        },
      ],
      ...Array.from(
        { length: steps },
        (_, i) => [`s${i}`, "set-fields", { assignments: [{ field: "counter", expression, type: "number" }] }] as [string, string, Record<string, unknown>],
      ),
      ["tag", "set-fields", { assignments: [{ field: "greeting", expression: 'upper(name) + " " + string(counter)', type: "string" }] }],
      ["out", "output", { value: '{"counter":{{counter}},"greeting":"{{greeting}}"}' }],
    ],
    ["start->s0", ...Array.from({ length: steps - 1 }, (_, i) => `s${i}->s${i + 1}`), `s${steps - 1}->tag`, "tag->out"],
  );

describe.each(providers)("Set fields through the runs API on %s", (provider) => {
  useTestDatabase(provider, { runs: true });

  it("ten Set fields steps count to ten and the result reads the fields", async () => {
    const wf = await createWorkflow(counterWorkflow(10));
    const run = await waitForRun(await startRun(wf, { counter: 0, name: "ada" }), ["succeeded", "failed"]);
    expect(run.status, JSON.stringify(run.error)).toBe("succeeded");
    expect(JSON.parse(run.result)).toEqual({ counter: 10, greeting: "ADA 10" });
  });

  it("a value that does not fit its type fails the run with SET_FIELDS_TYPE naming the field", async () => {
    const wf = await createWorkflow(counterWorkflow(1, "name"));
    const run = await waitForRun(await startRun(wf, { counter: 0, name: "ada" }), ["succeeded", "failed"]);
    expect(run.status).toBe("failed");
    expect(run.error.code).toBe("SET_FIELDS_TYPE");
    expect(run.error.message).toMatch(/field "counter" \(name\): expected a number, got "ada"/);
  });

  it("an expression that does not parse refuses the run with 400 WORKFLOW_INVALID and the issue's path", async () => {
    const wf = await createWorkflow(counterWorkflow(1, "counter +"));
    const res = await startRoute.POST(req(`/api/workflows/${wf}/runs`, { json: { input: {} } }), ctx({ id: wf }));
    expect(res.status).toBe(400);
    const { error } = await body(res);
    expect(error.code).toBe("WORKFLOW_INVALID");
    expect(error.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: "EXPRESSION_INVALID", path: "$.nodes[1].config.assignments[0].expression" })]),
    );
  });
});
