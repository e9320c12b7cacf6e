import assert from "node:assert/strict";
import { guessProbability, noFeatures } from "../../server/context/guessModel.js";
import { FEATURE_ORDER, TREES } from "../../server/context/guessTrees.generated.js";

describe("context: guess model", () => {
  it("the fitted trees name every feature the engine collects (refit with bench/fit_guesses.py after adding one)", () => {
    assert.deepEqual([...FEATURE_ORDER].sort(), Object.keys(noFeatures()).sort());
  });

  it("every split of every tree reads a feature that exists", () => {
    const walk = (t: (typeof TREES)[number]): void => {
      if (typeof t === "number") return;
      assert.ok(t[0] >= 0 && t[0] < FEATURE_ORDER.length, `feature index ${t[0]}`);
      walk(t[2]);
      walk(t[3]);
    };
    TREES.forEach(walk);
  });

  it("ranks a helper the look-alike functions use above one nothing points at", () => {
    const none = noFeatures();
    const analog = { ...noFeatures(), analog: 1, sameFile: 1, isCallable: 1 };
    const p0 = guessProbability({ ...none, sameFile: 1, isCallable: 1 });
    const p1 = guessProbability(analog);
    assert.ok(p0 >= 0 && p0 <= 1 && p1 >= 0 && p1 <= 1);
    assert.ok(p1 > p0, `${p1} should exceed ${p0}`);
  });
});
