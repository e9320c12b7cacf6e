import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import Parser from "tree-sitter";
import { packagePath } from "../../server/paths.js";
import { createDocumentStore, definitions, enclosingDefinition, parseText, references, stubs } from "../../server/syntax/index.js";
import type { SyntaxDocument, TextChange } from "../../server/syntax/types.js";
import { positionAt } from "../../server/text/positions.js";

/**
 * definitions() and stubs() of an edited document re-query only the top-level nodes an edit
 * touched and reuse (shifted) the results of the others. Whatever the edits, the results must be
 * those of a fresh computation on the same text.
 */

const fixture = (lang: string, file: string) => readFileSync(packagePath("test", "fixtures", "syntax", lang, file), "utf8");

const CASES: Array<[string, string]> = [
  ["typescript", "inventory.ts"],
  ["javascript", "server.js"],
  ["python", "billing.py"],
  ["python", "abstract_store.py"],
  ["go", "cache.go"],
  ["rust", "ledger.rs"],
  ["java", "OrderService.java"],
  ["cpp", "shapes.cpp"],
  ["ruby", "account.rb"],
];

/** Mostly harmless typing (the tree stays error-free, so the incremental path runs), some breakage. */
const pieces = fc.constantFrom("x", "x", "x", " ", "\n", "\n\n", "", "", "// c\n", "# c\n", "/** d */\n", "/// d\n", "{", "}", "\"", "pass", "😀");
const edit = fc.record({
  at: fc.nat(),
  len: fc.oneof(fc.constant(0), fc.constant(0), fc.nat({ max: 3 })),
  text: fc.array(pieces, { maxLength: 2 }).map((a) => a.join("")),
  // Sometimes skip calling definitions() between edits, so several edits pile up on one tree.
  look: fc.boolean(),
});

function change(text: string, e: { at: number; len: number; text: string }): { text: string; change: TextChange } {
  const start = e.at % (text.length + 1);
  const end = Math.min(text.length, start + e.len);
  const range = { start: positionAt(text, start), end: positionAt(text, end) };
  return { text: text.slice(0, start) + e.text + text.slice(end), change: { range, text: e.text } };
}

function assertSameAsFresh(doc: SyntaxDocument, text: string, lang: string): void {
  const fresh = parseText(text, lang);
  assert.deepEqual(definitions(doc), definitions(fresh));
  assert.deepEqual(stubs(doc), stubs(fresh));
}

describe("syntax: definitions and stubs after edits (per top-level node reuse)", () => {
  for (const [lang, file] of CASES) {
    it(`${lang} ${file}: after every random edit, definitions() and stubs() equal a fresh computation`, () => {
      const original = fixture(lang, file);
      const uri = `file:///${file}`;
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 10 }), (edits) => {
          const store = createDocumentStore();
          let doc = store.open(uri, "", 1, original);
          let text = original;
          let version = 1;
          definitions(doc);
          for (const e of edits) {
            const next = change(text, e);
            text = next.text;
            doc = store.change(uri, ++version, [next.change])!;
            if (e.look) assertSameAsFresh(doc, text, lang);
          }
          assertSameAsFresh(doc, text, lang);
        }),
        { seed: 20261121, numRuns: 30 },
      );
    });
  }

  it("several changes in one didChange, and version jumps, still give fresh results", () => {
    const original = fixture("typescript", "inventory.ts");
    fc.assert(
      fc.property(fc.array(edit, { minLength: 2, maxLength: 4 }), fc.nat({ max: 3 }), (edits, jump) => {
        const store = createDocumentStore();
        let doc = store.open("file:///inv.ts", "typescript", 1, original);
        definitions(doc);
        stubs(doc);
        let text = original;
        const changes: TextChange[] = [];
        for (const e of edits) {
          const next = change(text, e);
          text = next.text;
          changes.push(next.change);
        }
        doc = store.change("file:///inv.ts", 2 + jump, changes)!;
        assertSameAsFresh(doc, text, "typescript");
      }),
      { seed: 7, numRuns: 30 },
    );
  });

  it("an edit inside a doc comment (or of the blank line below it) renews the doc of the definition below", () => {
    const text = "/** Old doc, with a much longer explanation that goes on. */\nexport function f(): void {}\n\n/** Note. */\n\nfunction g() {\n  // TODO\n}\n";
    const store = createDocumentStore();
    const doc = store.open("file:///d.ts", "typescript", 1, text);
    assert.equal(definitions(doc)[0].doc, "/** Old doc, with a much longer explanation that goes on. */");
    store.change("file:///d.ts", 2, [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 7 } }, text: "New" }]);
    assert.equal(definitions(doc)[0].doc, "/** New doc, with a much longer explanation that goes on. */");
    assert.deepEqual(definitions(doc), definitions(parseText(doc.text, "typescript")));
    // Removing the blank line under "/** Note. */" makes it g's doc comment.
    assert.equal(definitions(doc)[1].doc, undefined);
    store.change("file:///d.ts", 3, [{ range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, text: "" }]);
    assert.equal(definitions(doc)[1].doc, "/** Note. */");
    assert.deepEqual(stubs(doc), stubs(parseText(doc.text, "typescript")));
  });

  it("an edit that opens a syntax error and the one that closes it give fresh results, the second incrementally", () => {
    const text = fixture("javascript", "server.js");
    const store = createDocumentStore();
    const doc = store.open("file:///s.js", "javascript", 1, text);
    definitions(doc);
    const at = text.indexOf("\nfunction ") + 1;
    assert.ok(at > 0);
    store.change("file:///s.js", 2, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at) }, text: "function broken( {\n" }]);
    assertSameAsFresh(doc, doc.text, "javascript");
    const ranges: unknown[] = [];
    const original = Parser.Query.prototype.matches;
    Parser.Query.prototype.matches = function (this: Parser.Query, ...args: Parameters<typeof original>) {
      ranges.push(args[1]);
      return original.apply(this, args);
    };
    try {
      store.change("file:///s.js", 3, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at + "function broken( {\n".length) }, text: "" }]);
      assert.equal(doc.text, text);
      assertSameAsFresh(doc, text, "javascript");
    } finally {
      Parser.Query.prototype.matches = original;
    }
    // One ranged query for the document (the fresh computation runs one over the whole tree).
    assert.equal(ranges.filter((r) => r !== undefined).length, 1);
  });

  it("after a keystroke inside one function, only that top-level node is queried again", () => {
    const text = fixture("typescript", "inventory.ts");
    const store = createDocumentStore();
    const doc = store.open("file:///inv.ts", "typescript", 1, text);
    const before = definitions(doc);
    const at = text.lastIndexOf("Math.round");
    const ranges: Array<{ startPosition?: Parser.Point; endPosition?: Parser.Point } | undefined> = [];
    const original = Parser.Query.prototype.matches;
    Parser.Query.prototype.matches = function (this: Parser.Query, ...args: Parameters<typeof original>) {
      ranges.push(args[1] as { startPosition?: Parser.Point; endPosition?: Parser.Point } | undefined);
      return original.apply(this, args);
    };
    let after: ReturnType<typeof definitions>;
    try {
      store.change("file:///inv.ts", 2, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at) }, text: "x" }]);
      after = definitions(doc);
    } finally {
      Parser.Query.prototype.matches = original;
    }
    assert.equal(ranges.length, 1, "one query run");
    const r = ranges[0];
    assert.ok(r?.startPosition && r.endPosition, "the query ran over a range");
    const line = doc.positionAt(at).line;
    const fn = definitions(doc).find((d) => d.depth === 0 && d.span.start.line <= line && line <= d.span.end.line)!;
    assert.ok(fn, "the edit is inside a top-level definition");
    assert.deepEqual([r.startPosition.row, r.endPosition.row], [fn.span.start.line, fn.span.end.line]);
    assert.equal(after.length, before.length);
    assert.deepEqual(after, definitions(parseText(doc.text, "typescript")));
  });
});

describe("syntax: queries over a range far into a file", () => {
  // node tree-sitter takes a query's startIndex/endIndex as bytes of UTF-16 text (twice the
  // offset), so ranges are given as points (pointRange); these check ranges far from the start.
  const filler = Array.from({ length: 400 }, (_, i) => `const filler${i} = ${i};`).join("\n");
  const text = `${filler}\nfunction last(a: number) {\n  return helper(a) + other.value;\n}\n`;

  it("references() in a range near the end of a long file finds every use there", () => {
    const doc = parseText(text, "typescript");
    const start = text.indexOf("return helper");
    const names = references(doc, start, text.length).map((r) => r.name);
    assert.deepEqual(names, ["helper", "a", "other", "value"]);
  });

  it("enclosingDefinition() before definitions() are computed finds a function at the end of a long file", () => {
    const doc = createDocumentStore().open("file:///far.ts", "typescript", 1, text);
    assert.equal(enclosingDefinition(doc, text.indexOf("helper(a)"))?.name, "last");
  });
});
