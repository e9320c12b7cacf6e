import assert from "node:assert/strict";
import { parseText } from "../../server/syntax/index.js";
import { COLLECT_AFTER_BYTES, noteTreeParsed } from "../../server/syntax/treeMemory.js";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An object only a WeakRef points to, made in an earlier turn (WeakRef targets live through their own turn). */
async function unreachable(): Promise<WeakRef<object>> {
  const ref = new WeakRef({ payload: new Array(1000).fill(0) });
  await nextTurn();
  return ref;
}

describe("tree memory", () => {
  it("forces a collection on the next turn once enough tree bytes were parsed", async () => {
    const ref = await unreachable();
    noteTreeParsed(COLLECT_AFTER_BYTES);
    await nextTurn();
    await nextTurn();
    assert.equal(ref.deref(), undefined, "the forced collection should have cleared the weakly held object");
  });

  it("parseText still answers for texts whose tree is too big to cache", () => {
    const big = "export function f(a: number): number {\n  return a + 1;\n}\n".repeat(20000);
    const doc = parseText(big, "typescript");
    assert.equal(doc.text.length, big.length);
    assert.equal(doc.positionAt(big.length).line, 60000);
  });
});
