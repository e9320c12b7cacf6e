import { strict as assert } from "node:assert";
import { stubContext, workspaceFixture } from "../helpers/workspace.js";

describe("context: overloads", () => {
  const ws = workspaceFixture("ctx-overloads-", {
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

  it("shows a guessed function's first declaration once, not every overload", async () => {
    const r = await stubContext(ws.root, "use.ts", "twoSteps", 2048);
    const text = r.chunks.filter((c) => c.source !== "target").map((c) => c.text).join("\n");
    const shown = text.match(/function pipe\b/g) ?? [];
    assert.equal(shown.length, 1, text);
    assert.match(text, /function pipe\(\): string;/);
  });
});
