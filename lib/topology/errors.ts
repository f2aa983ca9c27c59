/** Stable codes for the errors the topology module throws. */
export const TopologyErrorCode = {
  RECORD_INVALID: "TOPOLOGY_RECORD_INVALID",
  REQUEST_INVALID: "TOPOLOGY_REQUEST_INVALID",
  ANALYSIS_FAILED: "TOPOLOGY_ANALYSIS_FAILED",
} as const;
export type TopologyErrorCode = (typeof TopologyErrorCode)[keyof typeof TopologyErrorCode];

/** An error with a stable code and a message that says how to fix the input. */
export class TopologyError extends Error {
  constructor(
    readonly code: TopologyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "TopologyError";
  }
}
