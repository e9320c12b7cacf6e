import PQueue from "p-queue";
import type { Priority, RunOptions } from "./types.js";

/** p-queue runs higher numbers first. */
const RANK: Record<Priority, number> = { action: 3, hover: 2, completion: 1 };

/**
 * The global queue: at most `concurrency` model calls at once, explicit actions before hovers
 * before completions. Each task gets a signal that aborts when the caller's signal does.
 */
export class PriorityQueue {
  private readonly queue: PQueue;

  constructor(concurrency: number) {
    this.queue = new PQueue({ concurrency: sanitise(concurrency) });
  }

  /** Changes the concurrency limit; running tasks are not interrupted. */
  setConcurrency(concurrency: number): void {
    const c = sanitise(concurrency);
    if (this.queue.concurrency !== c) this.queue.concurrency = c;
  }

  /** Runs a task when a slot is free; rejects with the signal's reason when aborted first. */
  run<T>(priority: Priority, task: (signal: AbortSignal) => Promise<T>, opts: RunOptions = {}): Promise<T> {
    // A task always receives a signal, even when the caller passed none, so it can be written once.
    const signal = opts.signal ?? new AbortController().signal;
    return this.queue.add(() => task(signal), { priority: RANK[priority], signal });
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.queue.size;
  }

  /** Tasks holding a slot. */
  get running(): number {
    return this.queue.pending;
  }

  clear(): void {
    this.queue.clear();
  }
}

function sanitise(n: number): number {
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 2;
}
