import { strict as assert } from "node:assert";
import { renderGroup } from "../../server/context/group.js";
import { analyzeText, conventionsOf } from "../../server/context/syntax.js";
import { parseErrors } from "../../server/syntax/index.js";

describe("context group rendering", () => {
  it("drops the docstring, comments and statements of a class shown in part, not those inside a shown body", () => {
    const text = [
      "class Box:",
      '    """A box."""',
      "",
      "    # -- worker methods: a long banner that describes members not shown --",
      "    # more prose about the workers",
      "",
      "    def open(self):",
      "        # inside a body shown verbatim",
      "        return 1",
      "",
      "    # close ()",
      "    ALIAS = make_alias(",
      "        'box')",
      "",
      "    def close(self):",
      "        return 2",
      "",
    ].join("\n");
    const a = analyzeText(text, "python");
    const box = a.definitions.find((d) => d.name === "Box")!;
    const open = a.definitions.find((d) => d.name === "open")!;
    const file = { text, definitions: a.definitions, conventions: conventionsOf("python") };
    const r = renderGroup(file, box, new Map([[open, "full" as const]]));
    assert.doesNotMatch(r.text, /worker methods|more prose|close \(\)|A box|make_alias|'box'/);
    assert.match(r.text, /# inside a body shown verbatim/);
    assert.deepEqual(parseErrors(r.text, "python"), []);
    // The shown ranges leave the dropped comments out.
    const banner = text.indexOf("# -- worker");
    assert.ok(!r.ranges.some((x) => x.startOffset <= banner && banner < x.endOffset));
  });

  it("shows a class as its header alone, and a TypeScript class shown in part without overloads and block comments", () => {
    const py = "class Box(Base):\n    \"\"\"A box.\"\"\"\n\n    def open(self):\n        return 1\n";
    const a = analyzeText(py, "python");
    const box = a.definitions.find((d) => d.name === "Box")!;
    const header = renderGroup({ text: py, definitions: a.definitions, conventions: conventionsOf("python") }, box, new Map([[box, "header" as const]]));
    assert.equal(header.text.trim(), "class Box(Base):\n    ...");
    assert.deepEqual(parseErrors(header.text, "python"), []);

    const ts = [
      "export class Obs<T> {",
      "  /** The source. */",
      "  source: Obs<any> | undefined;",
      "  /* tslint:disable */",
      "  pipe(): Obs<T>;",
      "  pipe<A>(op: (x: T) => A): Obs<A>;",
      "  pipe(...ops: any[]): Obs<any> {",
      "    return this;",
      "  }",
      "  subscribe(next: (v: T) => void): void {",
      "    next(undefined as any);",
      "  }",
      "}",
      "",
    ].join("\n");
    const t = analyzeText(ts, "typescript");
    const obs = t.definitions.find((d) => d.name === "Obs")!;
    const sub = t.definitions.find((d) => d.name === "subscribe")!;
    const file = { text: ts, definitions: t.definitions, conventions: conventionsOf("typescript") };
    const part = renderGroup(file, obs, new Map([[sub, "signature" as const]]));
    assert.doesNotMatch(part.text, /tslint|pipe|source/);
    assert.match(part.text, /^export class Obs<T> \{\n  subscribe\(next: \(v: T\) => void\): void \{ \/\* … \*\/ \}\n\}/);
    assert.deepEqual(parseErrors(part.text, "typescript"), []);
    const alone = renderGroup(file, obs, new Map([[obs, "header" as const]]));
    assert.equal(alone.text, "export class Obs<T> { /* … */ }");
  });
});
