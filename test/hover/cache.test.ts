import assert from "node:assert/strict";
import { createExplanationCache, explanationKey, SharedCalls } from "../../server/features/hoverCache.js";
import { OutageNotice } from "../../server/features/hoverOutage.js";

describe("hover cache", () => {
  it("keys by content: equal parts give equal keys, moved text a different key", () => {
    assert.equal(explanationKey(["a", "bc"]), explanationKey(["a", "bc"]));
    assert.notEqual(explanationKey(["a", "bc"]), explanationKey(["ab", "c"]));
    assert.notEqual(explanationKey(["f", "return 1"]), explanationKey(["f", "return 2"]));
  });

  it("is bounded in entries", () => {
    const cache = createExplanationCache(3);
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, "v");
    assert.equal(cache.size, 3);
  });

  it("shares one job between callers and aborts it only when every caller aborted", async () => {
    const calls = new SharedCalls<string>();
    let started = 0;
    let jobSignal: AbortSignal | undefined;
    const start = (s: AbortSignal) => {
      started++;
      jobSignal = s;
      return new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => resolve("done"), 200);
        s.addEventListener("abort", () => {
          clearTimeout(t);
          reject(new Error("aborted"));
        });
      });
    };
    const a = new AbortController();
    const b = new AbortController();
    const pa = calls.run("k", start, a.signal);
    const pb = calls.run("k", start, b.signal);
    await new Promise((r) => setImmediate(r));
    assert.equal(started, 1);
    a.abort();
    await assert.rejects(pa);
    assert.equal(jobSignal!.aborted, false, "b still waits");
    b.abort();
    await assert.rejects(pb);
    assert.equal(jobSignal!.aborted, true);
    assert.equal(calls.size, 0);
  });

  it("keeps a job running for a caller that stopped waiting without aborting", async () => {
    const calls = new SharedCalls<string>();
    const p = calls.run("k", async () => "v");
    assert.equal(await p, "v");
    assert.equal(calls.size, 0);
  });
});

describe("hover outage notice", () => {
  it("tells once per settings, again after a recovery or a settings change", () => {
    const n = new OutageNotice();
    assert.equal(n.record("s1"), true);
    assert.equal(n.record("s1"), false);
    assert.equal(n.isQuiet("s1"), true);
    assert.equal(n.record("s2"), true);
    n.recovered();
    assert.equal(n.isQuiet("s2"), false);
    assert.equal(n.record("s2"), true);
  });
});
