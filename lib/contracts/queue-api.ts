import { z } from "zod";

/** One server or worker process, as its last heartbeat said (queue mode). */
export const QueueProcessSchema = z.object({
  /** `role@host:pid`, the `process` label of its metrics. */
  label: z.string(),
  role: z.enum(["all", "web", "worker"]),
  host: z.string(),
  pid: z.number().int(),
  /** Runs executing in the process right now. */
  inFlight: z.number().int().nonnegative(),
  startedAt: z.string(),
  lastHeartbeatAt: z.string(),
  /** True while it drains after SIGTERM (takes no new runs). */
  draining: z.boolean(),
});
export type QueueProcess = z.infer<typeof QueueProcessSchema>;

/** GET /api/queue: the run queue and the processes that serve and execute runs. */
export const QueueStatusSchema = z.object({
  /** "queue": runs go through the shared BullMQ queue (REDIS_URL); "in-process": this server runs everything. */
  mode: z.enum(["queue", "in-process"]),
  /** Jobs on the run queue (queue mode), or this process's in-memory queue (in-process mode). */
  queue: z.object({ waiting: z.number().int(), active: z.number().int(), delayed: z.number().int() }),
  /** Processes with a heartbeat in the last 30 s (in-process mode: this one). */
  processes: z.array(QueueProcessSchema),
});
export type QueueStatus = z.infer<typeof QueueStatusSchema>;
