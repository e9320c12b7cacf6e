import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { stubContext, tempWorkspace } from "../helpers/workspace.js";

describe("context: overloads", () => {
  let root: string;
  before(() => {
    root = tempWorkspace("ctx-overloads-", {
      "pipe.ts": [
        "export function pipe(): string;",
        "export function pipe<A>(op1: (x: string) => A): A;",
        "export function pipe<A, B>(op1: (x: string) => A, op2: (a: A) => B): B;",
        "export function pipe(...ops: Array<(x: unknown) => unknown>): unknown {",
        "  return ops.reduce((acc, op) => op(acc), '' as unknown);",
        "}",
        "",
      ].join("\n"),
      "use.ts": [
        'import { pipe } from "./pipe";',
        "",
        "/** Runs the text through the two steps. */",
        "export function twoSteps(text: string): number {",
        '  throw new Error("not implemented");',
        "}",
        "",
      ].join("\n"),
    });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("shows a guessed function's first declaration once, not every overload", async () => {
    const r = await stubContext(root, "use.ts", "twoSteps", 2048);
    const text = r.chunks.filter((c) => c.source !== "target").map((c) => c.text).join("\n");
    const shown = text.match(/function pipe\b/g) ?? [];
    assert.equal(shown.length, 1, text);
    assert.match(text, /function pipe\(\): string;/);
  });
});
