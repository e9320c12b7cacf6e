import type { Settings } from "../../../server/settings/types.js";
import type { CompletionJob, PreparedCompletion } from "../../../server/scheduler/types.js";

/** Just the settings the scheduler reads. */
export function schedulerSettings(over: { concurrency?: number; minMs?: number; maxMs?: number } = {}): Settings {
  return {
    concurrency: over.concurrency ?? 2,
    completion: { debounceMinMs: over.minMs ?? 5, debounceMaxMs: over.maxMs ?? 20 },
  } as unknown as Settings;
}

/** A promise with its resolve/reject exposed, for driving fake model calls by hand. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** One fake model call as the test sees it. */
export interface FakeCall {
  key: string;
  signal: AbortSignal;
  onText(text: string): void;
  reply: Deferred<string>;
}

/** A job factory whose model calls the test answers by hand. */
export function fakeModel() {
  const calls: FakeCall[] = [];
  const prepared: string[] = [];
  /** The prefixes whose request was warmed (prepared ahead of the call). */
  const warmed: string[] = [];
  const waiters: Array<() => void> = [];
  function job(opts: {
    uri?: string;
    prefix: string;
    suffix?: string;
    explicit?: boolean;
    key?: string;
    signal?: AbortSignal;
    finish?: (raw: string) => string;
  }): CompletionJob {
    const key = opts.key ?? `${opts.prefix}\u0000${opts.suffix ?? ""}`;
    return {
      uri: opts.uri ?? "file:///a.ts",
      prefix: opts.prefix,
      suffix: opts.suffix ?? "",
      explicit: opts.explicit ?? false,
      signal: opts.signal,
      async prepare(): Promise<PreparedCompletion> {
        prepared.push(opts.prefix);
        return {
          key,
          warm() {
            warmed.push(opts.prefix);
          },
          fetch(signal, onText) {
            const reply = deferred<string>();
            signal.addEventListener("abort", () => reply.reject(signal.reason), { once: true });
            calls.push({ key, signal, onText, reply });
            for (const w of waiters.splice(0)) w();
            return reply.promise;
          },
        };
      },
      finish: opts.finish ?? ((raw) => raw),
    };
  }
  /** Resolves once at least `n` model calls have started. */
  async function callsStarted(n: number): Promise<FakeCall> {
    while (calls.length < n) await new Promise<void>((r) => waiters.push(r));
    return calls[n - 1]!;
  }
  return { job, calls, prepared, warmed, callsStarted };
}
