/**
 * The explanation cache and the sharing of in-flight model calls, so a second hover on the same
 * unchanged symbol makes no model call and two quick hovers on it make one.
 */
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";

/**
 * The cache key: a SHA-256 over the parts (model, definition text, context texts…), each
 * length-prefixed so that moving text from one part to the next changes the key.
 */
export function explanationKey(parts: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) {
    h.update(`${p.length}:`);
    h.update(p);
    h.update("\0");
  }
  return h.digest("hex");
}

/** A bounded map from explanation key to the explanation markdown. */
export type ExplanationCache = LRUCache<string, string>;

/** Creates the cache, bounded both in entries and in characters held. */
export function createExplanationCache(maxEntries = 500, maxChars = 2_000_000): ExplanationCache {
  return new LRUCache<string, string>({
    max: maxEntries,
    maxSize: maxChars,
    sizeCalculation: (value, key) => Math.max(1, value.length + key.length),
  });
}

interface Job<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

/**
 * Runs at most one job per key. Callers that ask for a key already running share its result.
 * A caller whose signal aborts stops waiting at once; the job itself is aborted only when every
 * caller still waiting has aborted, so one cancelled hover cannot kill another's answer. A caller
 * that merely stops waiting without aborting (a hover timeout) leaves the job running to fill
 * the cache for the next hover.
 */
export class SharedCalls<T> {
  private readonly jobs = new Map<string, Job<T>>();

  /** How many jobs are running (for tests and shutdown). */
  get size(): number {
    return this.jobs.size;
  }

  /** Joins the job for `key`, starting it with `start` when none is running. */
  run(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    let job = this.jobs.get(key);
    if (!job) {
      const controller = new AbortController();
      const created: Job<T> = { controller, waiters: 0, promise: Promise.resolve() as Promise<T> };
      created.promise = Promise.resolve()
        .then(() => start(controller.signal))
        .finally(() => {
          if (this.jobs.get(key) === created) this.jobs.delete(key);
        });
      // The job may settle after every caller left; its rejection must not go unhandled.
      created.promise.catch(() => undefined);
      this.jobs.set(key, created);
      job = created;
    }
    const joined = job;
    joined.waiters++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        joined.waiters--;
        if (joined.waiters === 0) {
          if (this.jobs.get(key) === joined) this.jobs.delete(key);
          joined.controller.abort(abortReason(signal!));
        }
        reject(abortReason(signal!));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      joined.promise.then(
        (value) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (err: unknown) => {
          signal?.removeEventListener("abort", onAbort);
          reject(err);
        },
      );
    });
  }

  /** Aborts every running job (shutdown). */
  abortAll(): void {
    for (const job of this.jobs.values()) job.controller.abort(new Error("shutting down"));
    this.jobs.clear();
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error("aborted");
}
