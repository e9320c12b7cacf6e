import { strict as assert } from "node:assert";
import fc from "fast-check";
import { lastAtOrBefore, lowerBound } from "../../server/text/search.js";

describe("text: binary searches over sorted offsets", () => {
  it("agree with a linear scan on random sorted arrays with repeats", () => {
    const sorted = fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }).map((xs) => xs.sort((a, b) => a - b));
    fc.assert(
      fc.property(sorted, fc.integer({ min: -2, max: 42 }), (xs, x) => {
        const first = xs.findIndex((v) => v >= x);
        assert.equal(lowerBound(xs, x), first < 0 ? xs.length : first);
        let last = -1;
        xs.forEach((v, i) => {
          if (v <= x) last = i;
        });
        assert.equal(lastAtOrBefore(xs, x), last);
      }),
      { seed: 20261206, numRuns: 500 },
    );
  });
});
