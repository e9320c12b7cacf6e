import assert from "node:assert/strict";
import { guessProbability, noFeatures } from "../../server/context/guessModel.js";
import fc from "fast-check";
import { BASE_MARGIN, FEATURE_ORDER, LEARNING_RATE, TREES, type GuessTree } from "../../server/context/guessTrees.generated.js";

/** The model as the generator writes it, walked node by node: what the laid-out trees must equal. */
function walkedProbability(f: Record<string, number>): number {
  const leaf = (t: GuessTree): number => (typeof t === "number" ? t : f[FEATURE_ORDER[t[0]]!]! <= t[1] ? leaf(t[2]) : leaf(t[3]));
  let margin = BASE_MARGIN;
  for (const t of TREES) margin += LEARNING_RATE * leaf(t);
  return 1 / (1 + Math.exp(-margin));
}

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

  it("the model as evaluated gives the probability of the trees as written, to the bit", () => {
    // Features are 0, 1 or in between, and land on thresholds too (a split is `<=`).
    const thresholds = new Set<number>();
    const collect = (t: GuessTree): void => {
      if (typeof t === "number") return;
      thresholds.add(t[1]);
      collect(t[2]);
      collect(t[3]);
    };
    TREES.forEach(collect);
    const value = fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...thresholds));
    const features = fc.record(Object.fromEntries(FEATURE_ORDER.map((k) => [k, value])) as Record<string, fc.Arbitrary<number>>);
    fc.assert(
      fc.property(features, (f) => {
        assert.equal(guessProbability({ ...noFeatures(), ...f }), walkedProbability(f));
      }),
      { numRuns: 500 },
    );
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
