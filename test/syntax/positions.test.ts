import { strict as assert } from "node:assert";
import { createRequire } from "node:module";
import fc from "fast-check";
import Parser from "tree-sitter";
import { createDocumentStore, definitions, nodeInfoAt, references, stubs } from "../../server/syntax/index.js";
import {
  LineIndex,
  detectEol,
  fromUtf16Column,
  lineTextAt,
  offsetAt,
  positionAt,
  positionFromUtf16,
  positionToUtf16,
  toUtf16Column,
} from "../../server/text/positions.js";

/**
 * Positions: the server works in UTF-16, LSP clients may speak utf-8 or utf-32, and tree-sitter
 * reports its own offsets. These tests prove the three agree on lines holding astral characters
 * (😀, 𝒳), tabs and CRLF line endings.
 */

const require = createRequire(import.meta.url);

// Every line mixes a tab, astral characters (two UTF-16 units, four UTF-8 bytes) and a BMP
// character outside ASCII (é: two UTF-8 bytes); lines end in CRLF and LF.
const SAMPLE = [
  "const 𝒳 = \"😀é\"; function\tafter😀(a: number) { return a; }",
  "\tlet é = after😀(1);\tconst y = é + 1;",
  "function stub😀(): void {}",
  "",
].join("\r\n") + "function last() { return \"𝒳\"; }\n";

describe("syntax: positions (utf-16 / utf-8 / utf-32, tabs, CRLF)", () => {
  it("node tree-sitter counts startIndex and columns in UTF-16 code units for a JavaScript string", () => {
    const parser = new Parser();
    parser.setLanguage(require("tree-sitter-typescript").typescript as Parser.Language);
    const tree = parser.parse(SAMPLE);
    const index = LineIndex.fromText(SAMPLE);
    let checked = 0;
    const visit = (n: Parser.SyntaxNode): void => {
      // The node's text is exactly the string slice at its indexes (bytes would overshoot).
      assert.equal(SAMPLE.slice(n.startIndex, n.endIndex), n.text);
      // Its point is our UTF-16 line/character for that offset (no lone "\r" in SAMPLE).
      const p = index.positionAt(n.startIndex);
      assert.deepEqual({ line: n.startPosition.row, character: n.startPosition.column }, p, `${n.type} at ${n.startIndex}`);
      checked++;
      for (const c of n.children) visit(c);
    };
    visit(tree.rootNode);
    assert.ok(checked > 50);
    // And the byte length differs, so the check above could tell the two units apart.
    assert.notEqual(Buffer.byteLength(SAMPLE), SAMPLE.length);
  });

  it("converts columns between utf-16, utf-8 and utf-32 like Buffer and code points do", () => {
    const line = "\ta😀é𝒳b";
    // utf-16 offsets of each character start: \t=0 a=1 😀=2 é=4 𝒳=5 b=7 end=8
    const starts = [0, 1, 2, 4, 5, 7, 8];
    for (const c of starts) {
      const prefix = line.slice(0, c);
      assert.equal(fromUtf16Column(line, c, "utf-8"), Buffer.byteLength(prefix), `utf-8 at ${c}`);
      assert.equal(fromUtf16Column(line, c, "utf-32"), [...prefix].length, `utf-32 at ${c}`);
      assert.equal(toUtf16Column(line, Buffer.byteLength(prefix), "utf-8"), c);
      assert.equal(toUtf16Column(line, [...prefix].length, "utf-32"), c);
      assert.equal(fromUtf16Column(line, c, "utf-16"), c);
    }
    // A utf-8 column inside a multi-byte character snaps to its start; past the end clamps.
    assert.equal(toUtf16Column(line, 4, "utf-8"), 2);
    assert.equal(toUtf16Column(line, 99, "utf-8"), line.length);
    assert.equal(fromUtf16Column(line, 99, "utf-8"), Buffer.byteLength(line));
  });

  it("round-trips every character boundary of random unicode lines", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), (raw) => {
        const line = raw.replace(/[\r\n]/g, "");
        for (let c = 0, cps = [...line], i = 0; i <= cps.length; i++) {
          for (const enc of ["utf-8", "utf-32"] as const) {
            assert.equal(toUtf16Column(line, fromUtf16Column(line, c, enc), enc), c);
          }
          c += cps[i]?.length ?? 0;
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("treats \\n, \\r\\n and a lone \\r as line breaks and never points inside a CRLF", () => {
    const text = "a\r\nb\rc\nd";
    assert.deepEqual(positionAt(text, 3), { line: 1, character: 0 });
    assert.deepEqual(positionAt(text, 5), { line: 2, character: 0 });
    assert.deepEqual(positionAt(text, 7), { line: 3, character: 0 });
    // Past the end of line 0 clamps before "\r\n".
    assert.equal(offsetAt(text, { line: 0, character: 5 }), 1);
    assert.equal(lineTextAt(text, 1), "b");
    assert.equal(lineTextAt(text, 9), "");
    assert.equal(detectEol("x\r\ny\r\nz\n"), "\r\n");
    assert.equal(detectEol("x\ny\r\nz\n"), "\n");
    assert.equal(detectEol("no breaks"), "\n");
  });

  it("keeps the line index right through random edits (compared with a fresh index)", () => {
    const chunk = fc.constantFrom("a", "b", "\n", "\r", "\r\n", "😀", "\t", "");
    const edit = fc.record({ at: fc.nat(), len: fc.nat({ max: 4 }), text: fc.array(chunk, { maxLength: 4 }).map((a) => a.join("")) });
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 20 }).map((a) => a.join("")), fc.array(edit, { maxLength: 10 }), (start, edits) => {
        let text = start;
        const index = LineIndex.fromText(text);
        for (const e of edits) {
          const s = e.at % (text.length + 1);
          const end = Math.min(text.length, s + e.len);
          text = text.slice(0, s) + e.text + text.slice(end);
          index.applyEdit(text, s, end, e.text.length);
          const fresh = LineIndex.fromText(text);
          assert.equal(index.lineCount, fresh.lineCount, JSON.stringify(text));
          for (let o = 0; o <= text.length; o++) assert.deepEqual(index.positionAt(o), fresh.positionAt(o));
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it("reports definition positions that are UTF-16 and convert to the utf-8 byte columns", () => {
    const store = createDocumentStore();
    const doc = store.open("file:///p.ts", "typescript", 1, SAMPLE);
    const after = definitions(doc).find((d) => d.name === "after😀");
    assert.ok(after);
    const line0 = SAMPLE.split("\r\n")[0];
    const col = line0.indexOf("after😀");
    assert.deepEqual(after.nameSpan.start, { line: 0, character: col });
    assert.deepEqual(after.nameSpan.end, { line: 0, character: col + "after😀".length });
    assert.equal(doc.text.slice(after.nameSpan.startOffset, after.nameSpan.endOffset), "after😀");
    const utf8 = positionFromUtf16(doc.text, after.nameSpan.start, "utf-8");
    assert.equal(utf8.character, Buffer.byteLength(line0.slice(0, col)));
    assert.deepEqual(positionToUtf16(doc.text, utf8, "utf-8"), after.nameSpan.start);

    // After the CRLF, on a line starting with a tab: the stub's name and the last function.
    const stub = stubs(doc).find((s) => s.name === "stub😀");
    assert.ok(stub);
    assert.deepEqual(stub.nameSpan.start, { line: 2, character: "function ".length });
    const last = definitions(doc).find((d) => d.name === "last");
    assert.deepEqual(last?.nameSpan.start, { line: 3, character: "function ".length });
    // An identifier after a tab and an astral character on line 1.
    const refs = references(doc, doc.offsetAt({ line: 1, character: 0 }), doc.offsetAt({ line: 1, character: 99 }));
    const y = refs.find((r) => r.name === "y");
    assert.deepEqual(y?.span.start, { line: 1, character: "\tlet é = after😀(1);\tconst ".length });
    assert.equal(doc.eol, "\r\n");
  });

  it("applies an edit given in utf-8 positions at the same place tree-sitter then sees it", () => {
    const store = createDocumentStore();
    store.open("file:///e.ts", "typescript", 1, SAMPLE);
    // The client (utf-8) inserts `b: 2, ` before `a` inside after😀's parameter list.
    const line0 = SAMPLE.split("\r\n")[0];
    const at16 = line0.indexOf("(a: number)") + 1;
    const at8 = Buffer.byteLength(line0.slice(0, at16));
    const start = positionToUtf16(SAMPLE, { line: 0, character: at8 }, "utf-8");
    const doc = store.change("file:///e.ts", 2, [{ range: { start, end: start }, text: "b: 2, " }]);
    assert.ok(doc);
    assert.equal(doc.text.split("\r\n")[0], line0.slice(0, at16) + "b: 2, " + line0.slice(at16));
    const after = definitions(doc).find((d) => d.name === "after😀");
    assert.equal(after?.parameters, "(b: 2, a: number)");
    const info = nodeInfoAt(doc, doc.offsetAt({ line: 0, character: at16 }));
    assert.equal(info?.text, "b");
    assert.equal(info?.isIdentifier, true);
    // An edit after the CRLF lands on the right line too.
    const doc2 = store.change("file:///e.ts", 3, [{ range: { start: { line: 2, character: 25 }, end: { line: 2, character: 25 } }, text: " return; " }]);
    assert.ok(doc2);
    assert.equal(doc2.text.split("\r\n")[2], "function stub😀(): void { return; }");
    assert.equal(stubs(doc2).some((s) => s.name === "stub😀"), false);
  });
});
