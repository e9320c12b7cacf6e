/**
 * The plain-data contract of the scheduler: prioritised one-shot work for every feature, and the
 * debounced, cancellable, cached per-document path that completions take.
 */

/** Who is waiting: explicit actions before hovers before as-you-type completions. */
export type Priority = "action" | "hover" | "completion";

export interface RunOptions {
  /** Aborting it removes a queued task, or aborts the running task's signal. */
  signal?: AbortSignal;
}

/** One completion request as the feature hands it to the scheduler. */
export interface CompletionJob {
  /** The document; the latest job per uri wins. */
  uri: string;
  /** Document text before the cursor (used for typing-through and in-flight reuse). */
  prefix: string;
  /** Document text after the cursor. */
  suffix: string;
  /**
   * When the request reached the server (the scheduler's clock, `performance.now()`); the debounce
   * counts from here. Defaults to when `complete` is called.
   */
  receivedAt?: number;
  /** An explicit invoke skips the debounce. */
  explicit: boolean;
  /** The client's cancellation ($/cancelRequest) as a signal. */
  signal?: AbortSignal;
  /**
   * Builds the prompt after the debounce (context slicing is too costly to do per keystroke).
   * Resolves to undefined when there is nothing worth asking (the request then gets an empty answer).
   */
  prepare(signal: AbortSignal): Promise<PreparedCompletion | undefined>;
  /** Turns raw model text (the continuation at this job's cursor) into what the editor shows. */
  finish(raw: string): string;
  /** Told when this job's model call starts: how long after the request arrived, and the debounce it had. */
  onModelCall?(timing: { sinceArrivalMs: number; debounceMs: number }): void;
}

/** What `prepare` returns: a cache key and the function that asks the model. */
export interface PreparedCompletion {
  /** Everything that determines the model's answer (model, template, context, prefix, suffix). */
  key: string;
  /**
   * Asks the model; resolves to the raw continuation. It reports text as it streams through
   * `onText` (the whole text so far) so a newer request can decide early whether it may reuse it.
   */
  fetch(signal: AbortSignal, onText: (textSoFar: string) => void): Promise<string>;
  /**
   * Starts, ahead of `fetch`, the work the request needs before it can leave (secret redaction),
   * so it overlaps the rest of the debounce. Called only when the cache cannot answer the prompt.
   */
  warm?(): void;
}

/** Where a completion's text came from. */
export type CompletionSource = "model" | "cache" | "typing-through" | "reuse";

/** The outcome of one completion job: text to show, or the reason there is none. */
export type CompletionOutcome =
  | { kind: "text"; text: string; source: CompletionSource }
  | { kind: "empty"; reason: "superseded" | "cancelled" | "nothing-to-ask" | "no-suggestion" };

/** Counters for logs, tests and the burst benchmark. */
export interface SchedulerStats {
  modelCalls: number;
  abortedCalls: number;
  cacheHits: number;
  typingThroughHits: number;
  reuseHits: number;
  superseded: number;
}

export interface Scheduler {
  /** Runs one prioritised task under the global concurrency limit. */
  run<T>(priority: Priority, task: (signal: AbortSignal) => Promise<T>, opts?: RunOptions): Promise<T>;
  /** The debounced latest-wins completion path; always resolves (errors from the model reject). */
  complete(job: CompletionJob): Promise<CompletionOutcome>;
  /** Forgets a document's pending work and typing-through state (on close). */
  forget(uri: string): void;
  stats(): SchedulerStats;
  /** Aborts everything in flight; pending completions resolve empty. */
  dispose(): void;
}
