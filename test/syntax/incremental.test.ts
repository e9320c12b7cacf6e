import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { packagePath } from "../../server/paths.js";
import { SourceDocument } from "../../server/syntax/document.js";
import { createDocumentStore, definitions, imports, parseText, stubs } from "../../server/syntax/index.js";
import { positionAt } from "../../server/text/positions.js";

/**
 * The store edits the old tree and re-parses with it on every change. After any sequence of edits
 * the tree must equal a fresh parse of the same text, and the parts of the tree that an edit did
 * not touch must be reused (which is what makes a keystroke cheap).
 */

const fixture = (lang: string, file: string) => readFileSync(packagePath("test", "fixtures", "syntax", lang, file), "utf8");

function treeString(doc: unknown): string {
  const tree = (doc as SourceDocument).tree;
  assert.ok(tree, "document has a tree");
  return tree.rootNode.toString();
}

const CASES: Array<[string, string, string]> = [
  ["typescript", "inventory.ts", "file:///inventory.ts"],
  ["python", "billing.py", "file:///billing.py"],
  ["go", "cache.go", "file:///cache.go"],
  ["rust", "ledger.rs", "file:///ledger.rs"],
];

describe("syntax: incremental document store", () => {
  for (const [lang, file, uri] of CASES) {
    it(`${lang}: random edits leave the same tree and definitions as a fresh parse`, () => {
      const original = fixture(lang, file);
      const pieces = fc.constantFrom("x", " ", "\n", "{", "}", "(", ")", "\"", "😀", "\r\n", "\r", "def ", "fn ", "// TODO\n", "");
      const edit = fc.record({
        at: fc.nat(),
        len: fc.nat({ max: 8 }),
        text: fc.array(pieces, { maxLength: 3 }).map((a) => a.join("")),
      });
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
          const store = createDocumentStore();
          let doc = store.open(uri, "", 1, original);
          let text = original;
          let version = 1;
          for (const e of edits) {
            const start = e.at % (text.length + 1);
            const end = Math.min(text.length, start + e.len);
            const range = { start: positionAt(text, start), end: positionAt(text, end) };
            text = text.slice(0, start) + e.text + text.slice(end);
            doc = store.change(uri, ++version, [{ range, text: e.text }])!;
            assert.equal(doc.text, text);
          }
          const fresh = parseText(text, lang);
          assert.equal(treeString(doc), treeString(fresh));
          assert.deepEqual(definitions(doc), definitions(fresh));
          assert.deepEqual(stubs(doc), stubs(fresh));
          assert.deepEqual(imports(doc), imports(fresh));
        }),
        { seed: 20261121, numRuns: 25 },
      );
    });
  }

  it("applies several changes of one didChange in order, and full-text changes too", () => {
    const store = createDocumentStore();
    store.open("file:///a.py", "python", 1, "def a():\n    pass\n");
    const doc = store.change("file:///a.py", 2, [
      { range: { start: { line: 1, character: 4 }, end: { line: 1, character: 8 } }, text: "return 1" },
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: "def b():\n    ...\n" },
    ])!;
    assert.equal(doc.text, "def a():\n    return 1\ndef b():\n    ...\n");
    assert.equal(doc.version, 2);
    assert.deepEqual(stubs(doc).map((s) => s.name), ["b"]);
    const full = store.change("file:///a.py", 3, [{ text: "def c(): pass\n" }])!;
    assert.deepEqual(definitions(full).map((d) => d.name), ["c"]);
    assert.equal(treeString(full), treeString(parseText("def c(): pass\n", "python")));
  });

  it("reuses the untouched parts of the old tree (incremental, not from scratch)", () => {
    const store = createDocumentStore();
    const text = fixture("typescript", "inventory.ts");
    const doc = store.open("file:///inv.ts", "typescript", 1, text) as SourceDocument;
    const before = doc.tree!.rootNode;
    const firstId = before.firstNamedChild!.id;
    const lastId = before.lastNamedChild!.id;
    // Type one character inside the last function's body.
    const at = text.lastIndexOf("Math.round");
    store.change("file:///inv.ts", 2, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at) }, text: "x" }]);
    const after = doc.tree!.rootNode;
    assert.notEqual(after, before);
    // Unchanged subtrees keep their identity; the edited one does not.
    assert.equal(after.firstNamedChild!.id, firstId);
    assert.notEqual(after.lastNamedChild!.id, lastId);
  });

  it("keeps oversized and binary files as plain text, and parses them again once they fit", () => {
    const store = createDocumentStore({ maxBytes: 200 });
    const big = store.open("file:///big.ts", "typescript", 1, "function f() {}\n".repeat(20)) as SourceDocument;
    assert.equal(big.tree, undefined);
    assert.equal(big.plainReason, "too-large");
    assert.deepEqual(definitions(big), []);
    store.change("file:///big.ts", 2, [{ text: "function g() {}\n" }]);
    assert.deepEqual(definitions(big).map((d) => d.name), ["g"]);

    const bin = store.open("file:///bin.ts", "typescript", 1, "function f() {}\u0000\u0001") as SourceDocument;
    assert.equal(bin.plainReason, "binary");
    assert.deepEqual(stubs(bin), []);
    // Multi-byte text counts in UTF-8 bytes: 70 characters of 😀 are 280 bytes.
    const wide = store.open("file:///w.ts", "typescript", 1, "😀".repeat(70)) as SourceDocument;
    assert.equal(wide.plainReason, "too-large");
  });

  it("follows a maxBytes getter (settings changes) and defaults to 1 MB", () => {
    let limit = 10;
    const store = createDocumentStore({ maxBytes: () => limit });
    const doc = store.open("file:///s.ts", "typescript", 1, "function f() {}") as SourceDocument;
    assert.equal(doc.tree, undefined);
    limit = 1000;
    store.change("file:///s.ts", 2, [{ text: "function f() {}\n" }]);
    assert.ok(doc.tree);
    const def = createDocumentStore().open("file:///d.ts", "typescript", 1, "x".repeat(1024 * 1024 + 1)) as SourceDocument;
    assert.equal(def.plainReason, "too-large");
  });

  it("keeps unknown languages as plain text with working positions", () => {
    const store = createDocumentStore();
    const doc = store.open("file:///notes.txt", "plaintext", 1, "a\r\nb😀\nc") as SourceDocument;
    assert.equal(doc.language, undefined);
    assert.equal(doc.plainReason, "unknown-language");
    assert.deepEqual(doc.positionAt(5), { line: 1, character: 2 });
    store.change("file:///notes.txt", 2, [{ range: { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } }, text: "!" }]);
    assert.equal(doc.text, "a\r\nb😀!\nc");
    assert.deepEqual(definitions(doc), []);
    assert.equal(store.get("file:///notes.txt"), doc);
    assert.equal(store.all().length, 1);
    store.close("file:///notes.txt");
    assert.equal(store.get("file:///notes.txt"), undefined);
    assert.equal(store.change("file:///notes.txt", 3, []), undefined);
  });
});
