/** Stable codes for every problem the designer, the API and the compiler can report about a document. */
export const IssueCode = {
  // structural: the document cannot be read (parse fails, the API answers 400)
  SCHEMA_INVALID: "SCHEMA_INVALID",
  SCHEMA_VERSION_TOO_NEW: "SCHEMA_VERSION_TOO_NEW",
  SCHEMA_VERSION_UNKNOWN: "SCHEMA_VERSION_UNKNOWN",
  DUPLICATE_ID: "DUPLICATE_ID",
  DANGLING_EDGE: "DANGLING_EDGE",
  TOO_MANY_NODES: "TOO_MANY_NODES",
  PIN_UNKNOWN_NODE: "PIN_UNKNOWN_NODE",
  PIN_TOO_LARGE: "PIN_TOO_LARGE",
  PIN_NOT_ALLOWED: "PIN_NOT_ALLOWED",
  // graph problems: the document is kept, but it cannot run until they are fixed
  NO_START: "NO_START",
  MULTIPLE_START: "MULTIPLE_START",
  UNKNOWN_KIND: "UNKNOWN_KIND",
  UNKNOWN_HANDLE: "UNKNOWN_HANDLE",
  UNREACHABLE_NODE: "UNREACHABLE_NODE",
  JOIN_TOO_FEW_INPUTS: "JOIN_TOO_FEW_INPUTS",
  ROUTER_OUTPUT_UNCONNECTED: "ROUTER_OUTPUT_UNCONNECTED",
  CYCLE_WITHOUT_EXIT: "CYCLE_WITHOUT_EXIT",
  CONFIG_INVALID: "CONFIG_INVALID",
  NO_OUTPUT: "NO_OUTPUT",
  /** An expression (Set fields) that does not parse. */
  EXPRESSION_INVALID: "EXPRESSION_INVALID",
  /** An expression reads a name that is no state field (a warning). */
  UNKNOWN_FIELD: "UNKNOWN_FIELD",
} as const;
export type IssueCode = (typeof IssueCode)[keyof typeof IssueCode];

export type IssueSeverity = "error" | "warning";

/** A problem in a document. `path` is a JSON path into the document (e.g. ["nodes", 3, "config", "url"]). */
export interface WorkflowIssue {
  code: IssueCode;
  severity: IssueSeverity;
  message: string;
  path: (string | number)[];
  nodeId?: string;
  edgeId?: string;
  /** For config problems: the field inside the node's config. */
  field?: string;
}

/** Renders a JSON path as `$.nodes[3].config.url`, the form the API and the import dialog show. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `${acc}.${p}` : `${acc}[${JSON.stringify(p)}]`),
    "$",
  );
}
