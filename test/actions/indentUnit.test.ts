import { strict as assert } from "node:assert";
import { indentUnitOf } from "../../server/actions/slots.js";
import { createDocumentStore } from "../../server/syntax/index.js";

// A file with nothing indented yet gives no unit to detect: the grammar's `indent` convention decides,
// so a Go stub gets a tab (gofmt) and a Python stub four spaces, not a one-size-fits-all default.
describe("indentation unit of a file with nothing indented yet", () => {
  const store = createDocumentStore();
  const cases: Array<[string, string, string, string]> = [
    ["file:///w/main.go", "go", "package main\n\nfunc Add(a, b int) int {}\n", "\t"],
    ["file:///w/m.py", "python", "def add(a, b):\n...\n", "    "],
    ["file:///w/m.ts", "typescript", "export function add(a: number, b: number): number {}\n", "  "],
  ];
  for (const [uri, languageId, text, unit] of cases) {
    it(`${languageId} uses ${JSON.stringify(unit)}`, () => {
      assert.equal(indentUnitOf(store.open(uri, languageId, 1, text)), unit);
    });
  }
  it("what the file already uses wins over the convention", () => {
    const doc = store.open("file:///w/other.go", "go", 1, "package main\n\nfunc A() {\n    return\n}\n");
    assert.equal(indentUnitOf(doc), "    ");
  });
});
