import type { Settings } from "../settings/types.js";
import { CompletionPath } from "./completionPath.js";
import { PriorityQueue } from "./queue.js";
import type { CompletionJob, CompletionOutcome, Priority, RunOptions, Scheduler, SchedulerStats } from "./types.js";

export type { CompletionJob, CompletionOutcome, PreparedCompletion, Priority, Scheduler, SchedulerStats } from "./types.js";

/**
 * Creates the scheduler every feature shares: one global priority queue (settings.concurrency)
 * and the debounced per-document completion path (settings.completion.debounceMinMs/MaxMs).
 * Pass a function to follow settings changes.
 */
export function createScheduler(settings: Settings | (() => Settings)): Scheduler {
  const current = typeof settings === "function" ? settings : () => settings;
  const queue = new PriorityQueue(current().concurrency);
  const path = new CompletionPath(queue, () => ({
    minMs: current().completion.debounceMinMs,
    maxMs: current().completion.debounceMaxMs,
  }));
  // Settings may change between requests; the concurrency limit follows them.
  const sync = () => queue.setConcurrency(current().concurrency);
  return {
    run<T>(priority: Priority, task: (signal: AbortSignal) => Promise<T>, opts?: RunOptions): Promise<T> {
      sync();
      return queue.run(priority, task, opts);
    },
    complete(job: CompletionJob): Promise<CompletionOutcome> {
      sync();
      return path.complete(job);
    },
    forget(uri: string) {
      path.forget(uri);
    },
    stats(): SchedulerStats {
      return { ...path.counters };
    },
    dispose() {
      path.dispose();
      queue.clear();
    },
  };
}
