// The import table of shared/DESIGN.md ("Layers (folders) and what each owns"), checked by dependency-cruiser:
// `npm run deps`. Each layer may import itself, the project layers listed for it and (where the table says so)
// only some npm packages; anything else is a violation. No import cycles; Prisma only inside lib/db.
// Type-only imports count: a layer that names another layer's types depends on it.

/** Path patterns of the layers (files relative to the repo root). */
const layer = {
  workflow: "^lib/workflow/",
  // Everything that crosses the wire: HTTP shapes, the RunEvent union, Socket.IO message maps.
  contracts: "^lib/contracts/",
  topology: "^lib/topology/",
  engine: "^lib/engine/",
  db: "^lib/db/",
  auth: "^lib/auth/",
  realtime: "^lib/realtime/",
  server: "^lib/server/",
  editor: "^lib/editor/",
  api: "^lib/api/",
  app: "^app/",
  components: "^components/",
  entry: "^(server|worker)[.]ts$",
  // Process-wide values under one Symbol.for key each (DESIGN.md: singletons on globalThis); no imports of its own.
  singleton: "^lib/process-singleton[.]ts$",
};

/** Any npm package, Node built-in or other non-project module. */
const external = { dependencyTypesNot: ["local", "aliased-tsconfig", "aliased-tsconfig-paths"] };

/**
 * The table: layer → project layers it may import and the npm packages it may use (a regex, or "any").
 * Same rows as DESIGN.md; change both together.
 */
const table = {
  workflow: { layers: [], npm: "^(zod|jsep)$" },
  contracts: { layers: ["workflow"], npm: "^zod$" },
  topology: { layers: ["workflow"], npm: "^(graphology.*|zod)$" },
  engine: { layers: ["workflow", "contracts"], npm: "any" },
  db: { layers: ["workflow", "contracts", "singleton"], npm: "any" },
  auth: { layers: ["db", "contracts", "singleton"], npm: "any" },
  realtime: { layers: ["contracts", "auth", "singleton"], npm: "any" },
  server: { layers: ["workflow", "contracts", "topology", "engine", "db", "auth", "realtime", "singleton"], npm: "any" },
  editor: { layers: ["workflow", "topology", "contracts", "realtime"], npm: "any" },
  api: { layers: ["contracts"], npm: "any" },
  app: { layers: ["server", "auth", "contracts", "components"], npm: "any" },
  components: { layers: ["editor", "api", "workflow", "topology", "contracts"], npm: "any" },
  entry: { layers: ["server", "realtime", "auth", "singleton"], npm: "any" },
  singleton: { layers: [], npm: "^$" },
};

/**
 * Imports the table does not allow yet, each with its owner's plan. TEMPORARY: remove a line when its import is gone
 * (`npm run deps` then reports nothing for it, so a stale line is easy to spot by deleting it).
 */
const knownExceptions = [
  // The HTTP shapes now come from lib/contracts, but lib/api still names the document type (WorkflowDocument in
  // save/create bodies) and the dashboard query names TopologyReport; the workflow routes use the document's LIMITS
  // and JSON Schema. Either DESIGN.md's rows for lib/api and app/ gain lib/workflow (and lib/topology), or
  // lib/contracts re-exports what the wire needs of them.
  { from: "^lib/api/", to: "^lib/workflow/index[.]ts$|^lib/topology/index[.]ts$" },
  { from: "^app/api/", to: "^lib/workflow/index[.]ts$" },
  // The custom server mounts Socket.IO at REALTIME_PATH, a wire constant; DESIGN.md's entry row does not list lib/contracts.
  { from: "^server[.]ts$", to: "^lib/contracts/protocol[.]ts$" },
  // Components use the realtime browser client and hooks directly; DESIGN.md's components row does not list
  // lib/realtime (client) yet (only lib/editor's does): either the row gains it or the hooks move behind lib/editor.
  { from: "^components/", to: "^lib/realtime/(realtime-client|use-run-events|use-workspace-runs|frame-batcher)[.]ts$" },
];

const sourceOnly = "[.](test|spec)[.]tsx?$";

const allowed = Object.entries(table).flatMap(([name, row]) => {
  const from = { path: layer[name], pathNot: sourceOnly };
  const projectTargets = [layer[name], ...row.layers.map((l) => layer[l])];
  return [
    { from, to: { path: projectTargets.map((p) => `(${p})`).join("|") } },
    { from, to: row.npm === "any" ? external : { ...external, path: `node_modules/(${row.npm.replace(/^\^|\$$/g, "")})/` } },
    { from, to: { dependencyTypes: ["core"] } },
  ];
});

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles make load order matter and layers blur; break the cycle (move the shared part down a layer).",
      from: {},
      to: { circular: true },
    },
    {
      name: "prisma-only-in-lib-db",
      severity: "error",
      comment: "Only lib/db touches Prisma (DESIGN.md); call a repository of lib/db instead.",
      from: { pathNot: "^lib/db/|^prisma[.]config[.]ts$|^scripts/" },
      to: { path: "node_modules/(@prisma/|prisma/)|^lib/db/generated/" },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      comment: "An import that resolves to nothing is a typo or a missing dependency.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  allowed: [
    ...allowed,
    ...knownExceptions.map(({ from, to }) => ({ from: { path: from, pathNot: sourceOnly }, to: { path: to } })),
    // Outside the layers (tests, e2e, bench, scripts, configs) anything goes, but the forbidden rules above still apply.
    {
      from: {
        pathNot: Object.values(layer)
          .map((p) => `(${p})`)
          .join("|"),
      },
      to: {},
    },
    { from: { path: sourceOnly }, to: {} },
  ],
  allowedSeverity: "error",
  options: {
    doNotFollow: { path: "node_modules|^lib/db/generated/" },
    exclude: { path: "^([.]next|dist|data|test-results|playwright-report)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
