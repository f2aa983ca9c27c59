/**
 * Collects items (run events) as they arrive and hands them to `commit` at most once per animation
 * frame, so a store update and re-render happen once per frame however many deliveries came in.
 * `schedule` defaults to requestAnimationFrame (setTimeout 16 ms outside a browser).
 */
export interface FrameBatcher<T> {
  push(items: readonly T[]): void;
  /** Commits what is buffered now (e.g. before unmount). */
  flush(): void;
  /** Drops what is buffered and any pending frame. */
  cancel(): void;
}

type Schedule = (run: () => void) => () => void;

const defaultSchedule: Schedule =
  typeof requestAnimationFrame === "function"
    ? (run) => {
        const id = requestAnimationFrame(run);
        return () => cancelAnimationFrame(id);
      }
    : (run) => {
        const id = setTimeout(run, 16);
        return () => clearTimeout(id);
      };

export function createFrameBatcher<T>(commit: (items: T[]) => void, schedule: Schedule = defaultSchedule): FrameBatcher<T> {
  let buffer: T[] = [];
  let cancelFrame: (() => void) | null = null;
  const flush = () => {
    cancelFrame?.();
    cancelFrame = null;
    if (!buffer.length) return;
    const items = buffer;
    buffer = [];
    commit(items);
  };
  return {
    push(items) {
      if (!items.length) return;
      for (const item of items) buffer.push(item);
      if (!cancelFrame) cancelFrame = schedule(flush);
    },
    flush,
    cancel() {
      cancelFrame?.();
      cancelFrame = null;
      buffer = [];
    },
  };
}
