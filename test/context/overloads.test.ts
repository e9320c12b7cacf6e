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
    // mobx's Reaction: a flag read through a getter and written through its setter.
    "reaction.ts": [
      "export class Reaction {",
      "  private flags = 0;",
      "  get isRunning(): boolean {",
      "    return (this.flags & 1) !== 0;",
      "  }",
      "  set isRunning(value: boolean) {",
      "    this.flags = value ? this.flags | 1 : this.flags & ~1;",
      "  }",
      "  track(fn: () => void): void {",
      "    this.isRunning = true;",
      "    fn();",
      "    this.isRunning = false;",
      "  }",
      "  runReaction(): void {",
      '    throw new Error("not implemented");',
      "  }",
      "}",
      "",
    ].join("\n"),
  });

  it("shows one accessor of a property the body may use, the first declared, not the pair", async () => {
    const r = await stubContext(ws.root, "reaction.ts", "runReaction", 2048);
    const text = r.chunks.map((c) => c.text).join("\n");
    assert.match(text, /get isRunning\(\): boolean/, text);
    assert.doesNotMatch(text, /set isRunning/, text);
  });

  it("shows a guessed function's first declaration once, not every overload", async () => {
    const r = await stubContext(ws.root, "use.ts", "twoSteps", 2048);
    const text = r.chunks.filter((c) => c.source !== "target").map((c) => c.text).join("\n");
    const shown = text.match(/function pipe\b/g) ?? [];
    assert.equal(shown.length, 1, text);
    assert.match(text, /function pipe\(\): string;/);
  });
});
