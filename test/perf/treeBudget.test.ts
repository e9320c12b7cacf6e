import assert from "node:assert/strict";
import { SourceDocument } from "../../server/syntax/document.js";
import { createDocumentStore, definitions, imports } from "../../server/syntax/index.js";

/** A TypeScript file with `n` functions named after `tag`. */
function source(tag: string, n: number): string {
  const parts = [`import { x } from "./${tag}.js";`];
  for (let i = 0; i < n; i++) parts.push(`export function ${tag}${i}(a: number): number {\n  return a + ${i};\n}`);
  return parts.join("\n");
}

describe("tree budget of the document store", () => {
  it("keeps trees for the most recently used documents only, and answers the others without parsing again", () => {
    // Each document is ~1,800 characters, ~72 kB of estimated tree: a 100 kB budget holds one.
    const store = createDocumentStore({ treeBudgetBytes: 100_000 });
    const a = store.open("file:///a.ts", "typescript", 1, source("alpha", 40)) as SourceDocument;
    const defsA = definitions(a);
    assert.equal(defsA.length, 40);
    const b = store.open("file:///b.ts", "typescript", 1, source("beta", 40)) as SourceDocument;
    assert.equal(a.hasTree, false, "the least recently used document's tree is dropped");
    assert.equal(b.hasTree, true);
    // Definitions and imports were kept before the drop: no parse, same answer.
    assert.equal(definitions(a), defsA);
    assert.deepEqual(imports(a).map((i) => i.module), ["./alpha.js"]);
    assert.equal(a.hasTree, false, "reading kept results does not parse again");
  });

  it("parses a dropped document again when its text changes, and edits it incrementally from there", () => {
    const store = createDocumentStore({ treeBudgetBytes: 100_000 });
    const a = store.open("file:///a.ts", "typescript", 1, source("alpha", 40)) as SourceDocument;
    store.open("file:///b.ts", "typescript", 1, source("beta", 40));
    assert.equal(a.hasTree, false);
    store.change("file:///a.ts", 2, [{ range: { start: { line: 1, character: 16 }, end: { line: 1, character: 21 } }, text: "gamma" }]);
    assert.equal(a.hasTree, false, "an edit alone does not parse a dropped document");
    const names = definitions(a).map((d) => d.name);
    assert.equal(names[0], "gamma0", "the re-parse sees the edited text");
    assert.equal(a.hasTree, true);
    store.change("file:///a.ts", 3, [{ range: { start: { line: 1, character: 16 }, end: { line: 1, character: 21 } }, text: "delta" }]);
    assert.equal(definitions(a)[0]!.name, "delta0");
    assert.equal(a.tree!.rootNode.hasError, false);
  });
});
