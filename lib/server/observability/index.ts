import { processSlot } from "@/lib/process-singleton";
import { addRunEventTap } from "@/lib/realtime/taps";
import { logger } from "./logger";
import { metrics, recordRunEvents } from "./metrics";
import { otlpHeaders, otlpTracesUrl, RunTracer } from "./tracing";

export { logger, setLogSink, type Logger, type LogFields } from "./logger";
export { metrics, renderPrometheus, recordRunEvents, resetMetrics } from "./metrics";
export { RunTracer, otlpTracesUrl } from "./tracing";

const installed = processSlot<{ tracer: RunTracer | null }>("observability");

/**
 * Wires metrics (and traces, when OTEL_EXPORTER_OTLP_ENDPOINT is set) to the stream of persisted run
 * events of this process. server.ts calls it once at start; calling again does nothing.
 */
export function installObservability(env: NodeJS.ProcessEnv = process.env): { tracer: RunTracer | null } {
  const current = installed.get();
  if (current) return current;
  metrics(); // creates the registry now, so event-loop delay is measured from the start
  addRunEventTap("metrics", recordRunEvents);
  const url = otlpTracesUrl(env);
  const tracer = url ? new RunTracer({ url, serviceName: env.OTEL_SERVICE_NAME, headers: otlpHeaders(env) }) : null;
  if (tracer) {
    addRunEventTap("tracing", (events) => tracer.record(events));
    logger.info("OpenTelemetry traces enabled", { url });
  }
  const value = { tracer };
  installed.set(value);
  return value;
}

/** Sends spans still queued (shutdown). */
export async function flushObservability(): Promise<void> {
  await installed.get()?.tracer?.flush();
}
