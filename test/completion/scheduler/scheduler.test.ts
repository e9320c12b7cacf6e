import assert from "node:assert/strict";
import { createScheduler } from "../../../server/scheduler/index.js";
import { deferred, fakeModel, schedulerSettings } from "./helpers.js";

describe("scheduler: prioritised runs", () => {
  it("runs actions before hovers before completions when slots are scarce", async () => {
    const s = createScheduler(schedulerSettings({ concurrency: 1 }));
    const gate = deferred<void>();
    const order: string[] = [];
    const blocker = s.run("completion", () => gate.promise);
    const c = s.run("completion", async () => void order.push("completion"));
    const h = s.run("hover", async () => void order.push("hover"));
    const a = s.run("action", async () => void order.push("action"));
    gate.resolve();
    await Promise.all([blocker, c, h, a]);
    assert.deepEqual(order, ["action", "hover", "completion"]);
  });

  it("drops a queued task whose signal aborts, without running it", async () => {
    const s = createScheduler(schedulerSettings({ concurrency: 1 }));
    const gate = deferred<void>();
    const blocker = s.run("action", () => gate.promise);
    const ac = new AbortController();
    let ran = false;
    const queued = s.run("hover", async () => void (ran = true), { signal: ac.signal });
    ac.abort(new Error("gone"));
    await assert.rejects(queued, /gone/);
    gate.resolve();
    await blocker;
    assert.equal(ran, false);
  });

  it("hands the running task a signal that aborts with the caller's", async () => {
    const s = createScheduler(schedulerSettings());
    const ac = new AbortController();
    const seen = deferred<AbortSignal>();
    const p = s.run("action", (signal) => {
      seen.resolve(signal);
      return new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted"))));
    }, { signal: ac.signal });
    const signal = await seen.promise;
    ac.abort();
    await assert.rejects(p);
    assert.equal(signal.aborted, true);
  });
});

describe("scheduler: completion path", () => {
  it("answers every request of a burst and makes one model call for the last", async () => {
    const s = createScheduler(schedulerSettings());
    const m = fakeModel();
    const outcomes = ["a", "ab", "abc", "abcd"].map((prefix) => s.complete(m.job({ prefix })));
    const call = await m.callsStarted(1);
    call.reply.resolve("X");
    const results = await Promise.all(outcomes);
    assert.deepEqual(results.slice(0, 3).map((r) => r.kind === "empty" && r.reason), ["superseded", "superseded", "superseded"]);
    assert.deepEqual(results[3], { kind: "text", text: "X", source: "model" });
    assert.equal(m.calls.length, 1);
    assert.equal(call.key, "abcd\u0000");
    // The superseded ones never even built a prompt.
    assert.deepEqual(m.prepared, ["abcd"]);
  });

  it("aborts the HTTP call of a superseded request at once and still answers it", async () => {
    const s = createScheduler(schedulerSettings());
    const m = fakeModel();
    const first = s.complete(m.job({ prefix: "foo(", explicit: true }));
    const call = await m.callsStarted(1);
    call.onText("bar");
    // The user typed something the call did not predict: it is now useless.
    const second = s.complete(m.job({ prefix: "foo(\n", explicit: true }));
    assert.equal(call.signal.aborted, true);
    assert.deepEqual(await first, { kind: "empty", reason: "superseded" });
    const call2 = await m.callsStarted(2);
    call2.reply.resolve("bar");
    assert.deepEqual(await second, { kind: "text", text: "bar", source: "model" });
    assert.equal(s.stats().abortedCalls, 1);
  });

  it("answers a client-cancelled request empty and aborts its call", async () => {
    const { call, answer } = await cancelledWhileCalling("x");
    assert.deepEqual(answer, { kind: "empty", reason: "cancelled" });
    // The call outlives the cancel by a short grace only (a next keystroke's request may reuse it).
    await aborted(call.signal);
  });

  it("lets the next keystroke's request reuse the call a cancelled request left, as editors cancel just before asking again", async () => {
    const { s, m, call, answer } = await cancelledWhileCalling("const total = comp");
    assert.deepEqual(answer, { kind: "empty", reason: "cancelled" });
    const second = s.complete(m.job({ prefix: "const total = compu" }));
    call.reply.resolve("uteTotal(items);");
    assert.deepEqual(await second, { kind: "text", text: "teTotal(items);", source: "reuse" });
    assert.equal(call.signal.aborted, false);
    assert.equal(s.stats().modelCalls, 1);
    assert.equal(s.stats().abortedCalls, 0);
  });

  it("answers a request cancelled during its debounce without building a prompt", async () => {
    const s = createScheduler(schedulerSettings({ minMs: 10_000, maxMs: 10_000 }));
    const m = fakeModel();
    const ac = new AbortController();
    const p = s.complete(m.job({ prefix: "x", signal: ac.signal }));
    ac.abort();
    assert.deepEqual(await p, { kind: "empty", reason: "cancelled" });
    assert.equal(m.prepared.length, 0);
  });

  it("reuses an in-flight call when the new prompt extends it", async () => {
    const s = createScheduler(schedulerSettings());
    const m = fakeModel();
    const first = s.complete(m.job({ prefix: "const x = ", explicit: true }));
    const call = await m.callsStarted(1);
    call.onText("ne");
    const second = s.complete(m.job({ prefix: "const x = n" }));
    assert.equal(call.signal.aborted, false);
    call.reply.resolve("new Map();");
    assert.deepEqual(await first, { kind: "empty", reason: "superseded" });
    assert.deepEqual(await second, { kind: "text", text: "ew Map();", source: "reuse" });
    assert.equal(m.calls.length, 1);
  });

  it("leaves a reused call as soon as its text diverges from what was typed", async () => {
    const s = createScheduler(schedulerSettings());
    const m = fakeModel();
    void s.complete(m.job({ prefix: "let y = ", explicit: true }));
    const call = await m.callsStarted(1);
    const second = s.complete(m.job({ prefix: "let y = 4", explicit: true }));
    call.onText("12");
    assert.equal(call.signal.aborted, true);
    const call2 = await m.callsStarted(2);
    call2.reply.resolve("2;");
    assert.deepEqual(await second, { kind: "text", text: "2;", source: "model" });
  });

  it("serves the rest of a shown suggestion when the user types through it", async () => {
    const s = createScheduler(schedulerSettings());
    const m = fakeModel();
    const first = s.complete(m.job({ prefix: "print(", suffix: "\n", explicit: true }));
    (await m.callsStarted(1)).reply.resolve("'hello')");
    assert.equal((await first).kind, "text");
    const second = await s.complete(m.job({ prefix: "print('he", suffix: "\n" }));
    assert.deepEqual(second, { kind: "text", text: "llo')", source: "typing-through" });
    const third = await s.complete(m.job({ prefix: "print('hel", suffix: "\n" }));
    assert.deepEqual(third, { kind: "text", text: "lo')", source: "typing-through" });
    assert.equal(m.calls.length, 1);
    assert.equal(m.prepared.length, 1);
  });

  it("does not type through when the text after the cursor changed", async () => {
    const s = createScheduler(schedulerSettings());
    const m = fakeModel();
    const first = s.complete(m.job({ prefix: "a", suffix: "\n", explicit: true }));
    (await m.callsStarted(1)).reply.resolve("bc");
    await first;
    const second = s.complete(m.job({ prefix: "ab", suffix: "X\n", explicit: true }));
    (await m.callsStarted(2)).reply.resolve("Q");
    assert.deepEqual(await second, { kind: "text", text: "Q", source: "model" });
  });

  it("serves a repeated context from the cache without a model call", async () => {
    const s = createScheduler(schedulerSettings());
    const m = fakeModel();
    const first = s.complete(m.job({ prefix: "one", key: "K", explicit: true }));
    (await m.callsStarted(1)).reply.resolve("1");
    await first;
    const second = await s.complete(m.job({ prefix: "two", key: "K", explicit: true }));
    assert.deepEqual(second, { kind: "text", text: "1", source: "cache" });
    assert.equal(m.calls.length, 1);
    // Only the request that went to the model was prepared ahead (its redaction): not the cache hit.
    assert.deepEqual(m.warmed, ["one"]);
  });

  it("keeps documents independent: a request in one does not supersede another", async () => {
    const s = createScheduler(schedulerSettings());
    const m = fakeModel();
    const a = s.complete(m.job({ uri: "file:///a", prefix: "a", explicit: true }));
    const b = s.complete(m.job({ uri: "file:///b", prefix: "b", explicit: true }));
    (await m.callsStarted(2));
    for (const c of m.calls) c.reply.resolve(c.key[0]!.toUpperCase());
    assert.deepEqual((await a).kind, "text");
    assert.deepEqual((await b).kind, "text");
  });

  it("rejects with the model's error so the feature can report it", async () => {
    const s = createScheduler(schedulerSettings());
    const m = fakeModel();
    const p = s.complete(m.job({ prefix: "z", explicit: true }));
    (await m.callsStarted(1)).reply.reject(new Error("cannot reach the endpoint"));
    await assert.rejects(p, /cannot reach/);
  });

  it("answers empty when post-processing leaves nothing", async () => {
    const s = createScheduler(schedulerSettings());
    const m = fakeModel();
    const p = s.complete(m.job({ prefix: "z", explicit: true, finish: () => "  \n" }));
    (await m.callsStarted(1)).reply.resolve("whatever");
    assert.deepEqual(await p, { kind: "empty", reason: "no-suggestion" });
  });

  it("shares one answer between two requests for the same document state (completion + inline)", async () => {
    const s = createScheduler(schedulerSettings());
    const m = fakeModel();
    const a = s.complete(m.job({ prefix: "x = ", suffix: "\n" }));
    const b = s.complete(m.job({ prefix: "x = ", suffix: "\n" }));
    (await m.callsStarted(1)).reply.resolve("42");
    assert.deepEqual(await a, { kind: "text", text: "42", source: "model" });
    assert.deepEqual(await b, { kind: "text", text: "42", source: "model" });
    assert.equal(m.calls.length, 1);
  });

  it("keeps shared work going while one of its requests remains, and aborts it when none does", async () => {
    const s = createScheduler(schedulerSettings());
    const m = fakeModel();
    const ca = new AbortController();
    const cb = new AbortController();
    const a = s.complete(m.job({ prefix: "y = ", explicit: true, signal: ca.signal }));
    const b = s.complete(m.job({ prefix: "y = ", explicit: true, signal: cb.signal }));
    const call = await m.callsStarted(1);
    ca.abort();
    assert.deepEqual(await a, { kind: "empty", reason: "cancelled" });
    assert.equal(call.signal.aborted, false, "the other request still waits");
    cb.abort();
    assert.deepEqual(await b, { kind: "empty", reason: "cancelled" });
    await aborted(call.signal);
  });

  it("answers pending requests when disposed", async () => {
    const s = createScheduler(schedulerSettings({ minMs: 10_000, maxMs: 10_000 }));
    const m = fakeModel();
    const p = s.complete(m.job({ prefix: "q" }));
    s.dispose();
    assert.deepEqual(await p, { kind: "empty", reason: "cancelled" });
  });
});

/** Resolves when the signal aborts; the test times out if it never does. */
/** An explicit request whose model call has started, then cancelled by the client (as editors do). */
async function cancelledWhileCalling(prefix: string) {
  const s = createScheduler(schedulerSettings());
  const m = fakeModel();
  const ac = new AbortController();
  const request = s.complete(m.job({ prefix, explicit: true, signal: ac.signal }));
  const call = await m.callsStarted(1);
  ac.abort();
  return { s, m, call, answer: await request };
}

function aborted(signal: AbortSignal): Promise<void> {
  return signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
