import { ResultCache } from "./cache.js";
import { AdaptiveDebounce, type DebounceBounds } from "./debounce.js";
import type { PriorityQueue } from "./queue.js";
import { ShownSuggestions, typedSince } from "./typingThrough.js";
import type { CompletionJob, CompletionOutcome, CompletionSource, PreparedCompletion, SchedulerStats } from "./types.js";

/** One LSP request waiting for an answer. */
interface Member {
  resolve(o: CompletionOutcome): void;
  reject(e: unknown): void;
}

/**
 * The work for one document state. Usually one request; several when an editor asks twice for
 * the same state (VS Code sends textDocument/completion and textDocument/inlineCompletion for
 * every keystroke), so the two share one answer instead of superseding each other.
 */
interface Pending {
  job: CompletionJob;
  /** When the request arrived and how long it is to be debounced. */
  arrivedAt: number;
  delayMs: number;
  /** Aborts this request's own work (debounce wait, prompt building). */
  controller: AbortController;
  /** The model call it waits on, if any. */
  call?: ModelCall;
  done: boolean;
  members: Set<Member>;
}

/** One HTTP call to the model, which several successive requests may share. */
interface ModelCall {
  prefix: string;
  suffix: string;
  controller: AbortController;
  /** The text streamed so far. */
  text: string;
  promise: Promise<string>;
  waiters: Set<Pending>;
  listeners: Set<(text: string) => void>;
  settled: boolean;
  /** Set while nobody waits on the call and it is about to be aborted (see REUSE_GRACE_MS). */
  graceTimer?: NodeJS.Timeout;
}

/** Longest prompt-building time counted in the moving average. */
const MAX_PREPARE_SAMPLE_MS = 60;
/** The lead over the end of the debounce: this many times the average build, plus the margin. */
const LEAD_FACTOR = 1.5;
const LEAD_MARGIN_MS = 2;
/** The longest typed text for which an in-flight call is still worth reusing. */
const MAX_REUSE_TYPED = 64;
/**
 * How long a call nobody waits on any more lives before it is aborted. Editors cancel the
 * previous completion request just before sending the next one (`$/cancelRequest`, then the new
 * request, in the same write): without this grace the cancel aborted the call the next keystroke
 * would have reused, and a word the model had already predicted cost a second call.
 */
const REUSE_GRACE_MS = 15;

/**
 * The per-document completion path: the latest request per document wins after an adaptive
 * debounce; superseded and cancelled requests are answered empty at once and their model call
 * is aborted unless a newer request reuses it; results are cached; typing through a shown
 * suggestion is served without a model call.
 */
export class CompletionPath {
  private readonly pending = new Map<string, Pending>();
  private readonly calls = new Map<string, ModelCall>();
  private readonly shown = new ShownSuggestions();
  private readonly cache = new ResultCache();
  private readonly debounce: AdaptiveDebounce;
  /** Moving average of prompt-building time, so it can overlap the end of the debounce. */
  private prepareMs = 0;
  readonly counters: SchedulerStats = {
    modelCalls: 0,
    abortedCalls: 0,
    cacheHits: 0,
    typingThroughHits: 0,
    reuseHits: 0,
    superseded: 0,
  };

  constructor(
    private readonly queue: PriorityQueue,
    bounds: () => DebounceBounds,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.debounce = new AdaptiveDebounce(bounds);
  }

  /** Answers one completion request; see the class comment for the rules. */
  complete(job: CompletionJob): Promise<CompletionOutcome> {
    return new Promise<CompletionOutcome>((resolve, reject) => {
      const member: Member = { resolve, reject };
      const previous = this.pending.get(job.uri);
      if (previous && !previous.done && previous.job.prefix === job.prefix && previous.job.suffix === job.suffix) {
        // The same document state asked again: share the answer (no new keystroke, no new debounce).
        if (job.signal?.aborted) return resolve({ kind: "empty", reason: "cancelled" });
        previous.members.add(member);
        job.signal?.addEventListener("abort", () => this.leave(previous, member), { once: true });
        return;
      }
      // NOTE: the feature stamps the request when its handler starts, so the time spent reading the
      // document state for the job overlaps the debounce instead of adding to it.
      const arrivedAt = Math.min(job.receivedAt ?? Number.POSITIVE_INFINITY, this.now());
      const p: Pending = {
        job,
        arrivedAt,
        delayMs: this.debounce.next(job.uri, arrivedAt, job.explicit),
        controller: new AbortController(),
        done: false,
        members: new Set([member]),
      };
      this.pending.set(job.uri, p);

      // NOTE: the decision to reuse the in-flight call is taken before the previous request is
      // released, because releasing the last waiter aborts the call.
      const rest = this.shown.serve(job.uri, job.prefix, job.suffix);
      const call = this.calls.get(job.uri);
      const typed = rest === undefined && call && !call.settled ? reusableTyped(call, job) : undefined;
      if (typed !== undefined && call) this.attach(p, call);

      if (previous && !previous.done) {
        this.counters.superseded++;
        this.settle(previous, { kind: "empty", reason: "superseded" });
      }
      if (job.signal?.aborted) return this.settle(p, { kind: "empty", reason: "cancelled" });
      job.signal?.addEventListener("abort", () => this.leave(p, member), { once: true });

      if (rest !== undefined) {
        this.counters.typingThroughHits++;
        return this.settle(p, { kind: "text", text: rest, source: "typing-through" });
      }
      if (typed !== undefined && call) return this.awaitReuse(p, call, typed);
      void this.fresh(p);
    });
  }

  /** Ends a document's pending request and forgets its state. */
  forget(uri: string): void {
    const p = this.pending.get(uri);
    if (p) this.settle(p, { kind: "empty", reason: "cancelled" });
    this.shown.forget(uri);
    this.debounce.forget(uri);
  }

  /** Answers every pending request empty and aborts every call. */
  dispose(): void {
    for (const p of [...this.pending.values()]) this.settle(p, { kind: "empty", reason: "cancelled" });
    for (const c of this.calls.values()) {
      clearTimeout(c.graceTimer);
      if (!c.settled) c.controller.abort();
    }
    this.calls.clear();
    this.cache.clear();
  }

  /** Waits on an in-flight call whose prompt the new request extends; falls back to a fresh call when it diverges. */
  private awaitReuse(p: Pending, call: ModelCall, typed: string): void {
    const diverged = (text: string) => !text.startsWith(typed) && !typed.startsWith(text);
    const leave = () => {
      call.listeners.delete(onText);
      this.detach(p);
      void this.fresh(p);
    };
    const onText = (text: string) => {
      // Abort the shared call early once its text left what the user typed.
      if (!p.done && p.call === call && diverged(text)) leave();
    };
    call.listeners.add(onText);
    call.promise.then(
      (raw) => {
        call.listeners.delete(onText);
        if (p.done || p.call !== call) return;
        const rest = raw.startsWith(typed) ? raw.slice(typed.length) : undefined;
        if (rest === undefined || rest.trim() === "") return leave();
        this.counters.reuseHits++;
        this.finishWith(p, rest, "reuse");
      },
      () => {
        call.listeners.delete(onText);
        if (p.done || p.call !== call) return;
        leave();
      },
    );
  }

  /** The normal path: debounce, build the prompt, consult the cache, call the model. */
  private async fresh(p: Pending): Promise<void> {
    const signal = p.controller.signal;
    try {
      const deadline = p.arrivedAt + p.delayMs;
      const remaining = Math.max(0, deadline - this.now());
      // Building the prompt overlaps the end of the debounce so the HTTP request leaves on time.
      // NOTE: at most half the debounce, so a burst's superseded keystrokes rarely pay for a prompt;
      // the margin covers a build slower than the average and a timer that fires late.
      const lead = Math.min(remaining / 2, this.prepareMs * LEAD_FACTOR + LEAD_MARGIN_MS);
      await sleep(remaining - lead, signal);
      const started = this.now();
      const prepared = await p.job.prepare(signal);
      // A prompt the cache will answer needs no request, nor does a superseded one: only the others
      // start preparing theirs.
      if (prepared && !signal.aborted && !this.cache.has(prepared.key)) prepared.warm?.();
      // A cold first build (tokenizer loading) must not stretch the lead for good: samples are capped.
      this.prepareMs = 0.7 * this.prepareMs + 0.3 * Math.min(MAX_PREPARE_SAMPLE_MS, this.now() - started);
      // NOTE: the rest of the wait is measured to the deadline, not from the start of the build:
      // two chained timers would each add their own lateness.
      await sleep(deadline - this.now(), signal);
      if (p.done) return;
      if (!prepared) return this.settle(p, { kind: "empty", reason: "nothing-to-ask" });
      const cached = this.cache.get(prepared.key);
      if (cached !== undefined) {
        this.counters.cacheHits++;
        return this.finishWith(p, cached, "cache");
      }
      const call = this.startCall(p, prepared);
      this.attach(p, call);
      const raw = await call.promise;
      if (p.done || p.call !== call) return;
      this.finishWith(p, raw, "model");
    } catch (e) {
      if (p.done) return;
      this.fail(p, e);
    }
  }

  private startCall(p: Pending, prepared: PreparedCompletion): ModelCall {
    const controller = new AbortController();
    const call: ModelCall = {
      prefix: p.job.prefix,
      suffix: p.job.suffix,
      controller,
      text: "",
      promise: undefined as unknown as Promise<string>,
      waiters: new Set(),
      listeners: new Set(),
      settled: false,
    };
    const onText = (text: string) => {
      call.text = text;
      for (const l of [...call.listeners]) l(text);
    };
    call.promise = this.queue.run(
      "completion",
      (sig) => {
        this.counters.modelCalls++;
        p.job.onModelCall?.({ sinceArrivalMs: this.now() - p.arrivedAt, debounceMs: p.delayMs });
        return prepared.fetch(sig, onText);
      },
      { signal: controller.signal },
    );
    const uri = p.job.uri;
    this.calls.set(uri, call);
    call.promise.then(
      (raw) => {
        call.settled = true;
        this.cache.set(prepared.key, raw);
      },
      () => {
        call.settled = true;
      },
    ).finally(() => {
      if (this.calls.get(uri) === call) this.calls.delete(uri);
    });
    return call;
  }

  private attach(p: Pending, call: ModelCall): void {
    p.call = call;
    call.waiters.add(p);
    clearTimeout(call.graceTimer);
    call.graceTimer = undefined;
  }

  /**
   * Removes a request from its call; the call is aborted when nobody else waits on it: at once,
   * or after REUSE_GRACE_MS when the client cancelled (its next request may extend the prompt).
   */
  private detach(p: Pending, grace = false): void {
    const call = p.call;
    if (!call) return;
    p.call = undefined;
    call.waiters.delete(p);
    if (call.waiters.size > 0 || call.settled) return;
    const abort = () => {
      call.graceTimer = undefined;
      if (call.waiters.size > 0 || call.settled) return;
      call.settled = true;
      this.counters.abortedCalls++;
      call.controller.abort();
    };
    if (!grace) return abort();
    call.graceTimer ??= setTimeout(abort, REUSE_GRACE_MS);
  }

  private finishWith(p: Pending, raw: string, source: CompletionSource): void {
    let text: string;
    try {
      text = p.job.finish(raw);
    } catch (e) {
      return this.fail(p, e);
    }
    if (text.trim() === "") return this.settle(p, { kind: "empty", reason: "no-suggestion" });
    this.shown.remember(p.job.uri, { prefix: p.job.prefix, suffix: p.job.suffix, text });
    this.settle(p, { kind: "text", text, source });
  }

  /** One request of a shared state was cancelled: it is answered now; the work stops when nobody waits. */
  private leave(p: Pending, member: Member): void {
    if (p.done || !p.members.delete(member)) return;
    member.resolve({ kind: "empty", reason: "cancelled" });
    if (p.members.size === 0) this.settle(p, { kind: "empty", reason: "cancelled" }, true);
  }

  private settle(p: Pending, outcome: CompletionOutcome, grace = false): void {
    if (p.done) return;
    this.cleanup(p, grace);
    for (const m of p.members) m.resolve(outcome);
  }

  private fail(p: Pending, e: unknown): void {
    if (p.done) return;
    this.cleanup(p);
    for (const m of p.members) m.reject(e);
  }

  private cleanup(p: Pending, grace = false): void {
    p.done = true;
    p.controller.abort();
    if (this.pending.get(p.job.uri) === p) this.pending.delete(p.job.uri);
    this.detach(p, grace);
  }
}

/** What the job typed since the call's prompt, when the call is still worth waiting for. */
function reusableTyped(call: ModelCall, job: CompletionJob): string | undefined {
  const typed = typedSince(call, job.prefix, job.suffix);
  if (typed === undefined || typed.length > MAX_REUSE_TYPED) return undefined;
  const t = call.text;
  return t.startsWith(typed) || typed.startsWith(t) ? typed : undefined;
}

/** Resolves after `ms`, or rejects at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
