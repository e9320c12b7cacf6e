import assert from "node:assert/strict";
import { ResultCache, normaliseKey } from "../../../server/scheduler/cache.js";
import { AdaptiveDebounce } from "../../../server/scheduler/debounce.js";
import { typeThrough, typedSince } from "../../../server/scheduler/typingThrough.js";

describe("scheduler: adaptive debounce", () => {
  const bounds = () => ({ minMs: 40, maxMs: 250 });

  it("waits the minimum for the first key after a pause and nothing for an explicit invoke", () => {
    const d = new AdaptiveDebounce(bounds);
    assert.equal(d.next("u", 1000, false), 40);
    assert.equal(d.next("u", 10_000, false), 40);
    assert.equal(d.next("u", 10_030, true), 0);
  });

  it("waits longer than the typist's rhythm inside a burst, within the bounds", () => {
    const d = new AdaptiveDebounce(bounds);
    let t = 0;
    d.next("u", t, false);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) waits.push(d.next("u", (t += 150), false));
    assert.ok(waits.every((w) => w > 150 && w <= 250), `${waits}`);
    const fast = new AdaptiveDebounce(bounds);
    t = 0;
    fast.next("u", t, false);
    for (let i = 0; i < 5; i++) waits.push(fast.next("u", (t += 30), false));
    assert.ok(waits.slice(5).every((w) => w > 30 && w < 150), `${waits}`);
  });

  it("never goes past the maximum for slow typing", () => {
    const d = new AdaptiveDebounce(bounds);
    d.next("u", 0, false);
    assert.equal(d.next("u", 450, false), 250);
  });
});

describe("scheduler: typing-through", () => {
  const shown = { prefix: "x = ", suffix: ")\n", text: "foo(1, 2" };

  it("serves the rest when the typed text starts the suggestion", () => {
    assert.equal(typeThrough(shown, "x = fo", ")\n"), "o(1, 2");
  });

  it("stops when the typed text leaves the suggestion, or uses it up", () => {
    assert.equal(typeThrough(shown, "x = fx", ")\n"), undefined);
    assert.equal(typeThrough(shown, "x = foo(1, 2", ")\n"), undefined);
  });

  it("only counts typing at the cursor", () => {
    assert.equal(typedSince(shown, "y = fo", ")\n"), undefined);
    assert.equal(typedSince(shown, "x = fo", "\n"), undefined);
    assert.equal(typedSince(shown, "x =", ")\n"), undefined);
  });
});

describe("scheduler: result cache", () => {
  it("treats line endings and trailing blanks as the same context", () => {
    assert.equal(normaliseKey("a  \r\nb"), normaliseKey("a\nb"));
    assert.notEqual(normaliseKey("a\nb"), normaliseKey("a\nc"));
  });

  it("stays within its entry bound", () => {
    const c = new ResultCache({ maxEntries: 3, maxBytes: 1 << 20 });
    for (let i = 0; i < 10; i++) c.set(`k${i}`, "v");
    assert.equal(c.size, 3);
    assert.equal(c.get("k9"), "v");
    assert.equal(c.get("k0"), undefined);
  });

  it("stays within its memory bound", () => {
    const c = new ResultCache({ maxEntries: 1000, maxBytes: 10_000 });
    for (let i = 0; i < 50; i++) c.set(`k${i}`, "x".repeat(1000));
    assert.ok(c.bytes <= 10_000, `${c.bytes}`);
    assert.ok(c.size < 50);
    // A text bigger than the whole bound is not kept at all.
    c.set("huge", "y".repeat(100_000));
    assert.equal(c.get("huge"), undefined);
  });
});
