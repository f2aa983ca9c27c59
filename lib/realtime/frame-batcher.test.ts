import { describe, expect, it } from "vitest";
import { createFrameBatcher } from "./frame-batcher";

describe("createFrameBatcher", () => {
  it("commits everything pushed within a frame once, in order", () => {
    const frames: (() => void)[] = [];
    const commits: number[][] = [];
    const batcher = createFrameBatcher<number>(
      (items) => commits.push(items),
      (run) => {
        frames.push(run);
        return () => frames.splice(frames.indexOf(run), 1);
      },
    );
    batcher.push([1, 2]);
    batcher.push([3]);
    batcher.push([]);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(commits).toEqual([[1, 2, 3]]);
    batcher.push([4]);
    batcher.flush();
    expect(commits).toEqual([[1, 2, 3], [4]]);
    expect(frames).toHaveLength(0);
    batcher.push([5]);
    batcher.cancel();
    expect(frames).toHaveLength(0);
    expect(commits).toHaveLength(2);
  });
});
