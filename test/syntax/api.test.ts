import { strict as assert } from "node:assert";
import {
  conventionsFor,
  createDocumentStore,
  definitions,
  enclosingDefinition,
  imports,
  knownLanguages,
  languageFor,
  nodeInfoAt,
  parseErrors,
  parseText,
  references,
  scopeAt,
  stubs,
  testCases,
  type SyntaxDocument,
} from "../../server/syntax/index.js";
import { queryErrors, queryFor, type QueryName } from "../../server/syntax/registry.js";

/** The rest of server/syntax/index.ts: language choice, conventions, and questions about a place. */

/** Splits a `|` cursor marker out of `text`. */
function cursor(text: string): { text: string; offset: number } {
  const offset = text.indexOf("|");
  return { text: text.slice(0, offset) + text.slice(offset + 1), offset };
}

describe("syntax: API", () => {
  it("covers the required languages, each with complete conventions and compiling queries", () => {
    const langs = knownLanguages();
    for (const l of ["typescript", "tsx", "javascript", "python", "go", "rust", "java", "c", "cpp", "bash", "ruby"]) {
      assert.ok(langs.includes(l), l);
    }
    for (const l of langs) {
      const c = conventionsFor(l)!;
      assert.equal(c.id, l);
      assert.ok(c.lineComment && c.extensions.length && c.languageIds.length && c.testFilePatterns.length && c.elidedBody, l);
      assert.ok(Object.keys(c.testFrameworkMarkers).length > 0, `${l} test framework markers`);
      assert.ok(c.stubs && c.stubs.todoComment, `${l} stub rules`);
      for (const q of ["definitions", "imports", "references", "tests"] as QueryName[]) assert.ok(queryFor(l, q), `${l}/${q}.scm`);
    }
    assert.deepEqual(queryErrors, []);
  });

  it("picks the language by LSP languageId (with editor aliases), then by extension", () => {
    assert.equal(languageFor("typescript", "file:///a.ts"), "typescript");
    assert.equal(languageFor("typescriptreact", "file:///a.tsx"), "tsx");
    assert.equal(languageFor("tsx", "/a/b.tsx"), "tsx"); // Helix
    assert.equal(languageFor("javascriptreact", "file:///a.jsx"), "javascript");
    assert.equal(languageFor("", "file:///src/main.rs"), "rust"); // Neovim without filetype detection
    assert.equal(languageFor(undefined, "/x/y/Main.java"), "java");
    assert.equal(languageFor("", "file:///x/lib.H"), "c");
    assert.equal(languageFor("", "file:///x/lib.hpp"), "cpp");
    assert.equal(languageFor("shellscript", "file:///x/run"), "bash");
    assert.equal(languageFor("sh", ""), "bash");
    assert.equal(languageFor("plaintext", "file:///notes.txt"), undefined);
    assert.equal(languageFor("", "file:///Makefile"), undefined);
    // An unknown id still falls back to the extension.
    assert.equal(languageFor("weird-id", "file:///a.py"), "python");
    assert.equal(conventionsFor(undefined), undefined);
    assert.equal(conventionsFor("cobol"), undefined);
  });

  it("gives plain-text answers for unknown languages and never throws", () => {
    const doc = parseText("function f() {}", undefined);
    assert.deepEqual(definitions(doc), []);
    assert.deepEqual(stubs(doc), []);
    assert.deepEqual(imports(doc), []);
    assert.deepEqual(references(doc, 0, 10), []);
    assert.deepEqual(testCases(doc), []);
    assert.equal(nodeInfoAt(doc, 3), undefined);
    assert.deepEqual(parseErrors("garbage ((", undefined), []);
    assert.equal(scopeAt(doc, 3).inEmptyBody, false);
  });

  it("accepts a SyntaxDocument from elsewhere (parsed on demand)", () => {
    const text = "def f():\n    pass\n";
    const foreign: SyntaxDocument = {
      uri: "file:///f.py",
      languageId: "python",
      language: undefined,
      version: 1,
      text,
      eol: "\n",
      offsetAt: (p) => (p.line === 0 ? p.character : 9 + p.character),
      positionAt: (o) => (o < 9 ? { line: 0, character: o } : { line: 1, character: o - 9 }),
    };
    assert.deepEqual(stubs(foreign).map((s) => [s.name, s.reason]), [["f", "pass"]]);
  });

  it("finds syntax errors in a region of model output, and none in valid code", () => {
    assert.deepEqual(parseErrors("def f(x):\n    return x + 1\n", "python"), []);
    const bad = "function ok() { return 1; }\nfunction bad( { return 2 }\n";
    const errs = parseErrors(bad, "typescript");
    assert.ok(errs.length > 0);
    assert.ok(errs.every((e) => e.span.start.line === 1), JSON.stringify(errs));
    // Limited to the first line: nothing there.
    assert.deepEqual(parseErrors(bad, "typescript", 0, bad.indexOf("\n")), []);
    const missing = parseErrors("fn f() { let x = 1 }", "rust");
    assert.ok(missing.some((e) => e.kind === "missing" && /Missing ";"/.test(e.message)), JSON.stringify(missing));
  });

  it("describes the token at an offset: identifier, keyword, literal, comment", () => {
    const src = 'const total = compute("a😀", 42); // note\n';
    const doc = parseText(src, "typescript");
    const at = (needle: string, delta = 0) => nodeInfoAt(doc, src.indexOf(needle) + delta)!;
    assert.deepEqual([at("compute").type, at("compute").isIdentifier, at("compute").text], ["identifier", true, "compute"]);
    // Right after a word still means the word (hover at the end of an identifier).
    assert.equal(at("total", 5).text, "total");
    // Between tokens (after "=" and its space) there is nothing to describe.
    assert.equal(nodeInfoAt(doc, src.indexOf("= ") + 1), undefined);
    assert.equal(at("const").isKeyword, true);
    assert.equal(at("const").isIdentifier, false);
    const str = at("a😀");
    assert.equal(str.isLiteral, true);
    assert.equal(str.text, '"a😀"');
    assert.equal(at("42").isLiteral, true);
    const comment = at("note");
    assert.equal(comment.isComment, true);
    assert.equal(comment.text, "// note");
    assert.deepEqual(comment.span.start, { line: 0, character: src.indexOf("//") });
  });

  it("finds the innermost enclosing definition", () => {
    const src = "class A {\n  m() {\n    return 1;\n  }\n}\nfunction f() {}\n";
    const doc = parseText(src, "typescript");
    assert.equal(enclosingDefinition(doc, src.indexOf("return"))?.name, "m");
    assert.equal(enclosingDefinition(doc, src.indexOf("class") + 2)?.name, "A");
    assert.equal(enclosingDefinition(doc, src.indexOf("function f") + 12)?.name, "f");
    assert.equal(enclosingDefinition(doc, src.length), undefined);
  });

  it("tells an empty body (multi-line completion) from mid-expression (single line)", () => {
    const cases: Array<[string, string, { inEmptyBody: boolean; midExpression: boolean }]> = [
      ["typescript", "function f(a: number): number {\n  |\n}\n", { inEmptyBody: true, midExpression: false }],
      ["typescript", "function f(a: number): number {\n  return a + |\n}\n", { inEmptyBody: false, midExpression: true }],
      ["typescript", "function f(a: number) {\n  const x = 1;\n  |\n}\n", { inEmptyBody: false, midExpression: false }],
      ["python", "def f(a):\n    |\n", { inEmptyBody: true, midExpression: false }],
      ["python", "def f(a):\n    |\n\ndef g():\n    pass\n", { inEmptyBody: true, midExpression: false }],
      ["python", "def f(a):\n    x = a\n    |\n", { inEmptyBody: false, midExpression: false }],
      ["python", "def f(a):\n    return foo(|)\n", { inEmptyBody: false, midExpression: true }],
      ["go", "package p\n\nfunc F() int {\n\t|\n}\n", { inEmptyBody: true, midExpression: false }],
      ["rust", "fn f() -> i32 {\n    |\n}\n", { inEmptyBody: true, midExpression: false }],
    ];
    for (const [lang, marked, expected] of cases) {
      const { text, offset } = cursor(marked);
      const scope = scopeAt(parseText(text, lang), offset);
      assert.deepEqual({ inEmptyBody: scope.inEmptyBody, midExpression: scope.midExpression }, expected, `${lang}: ${JSON.stringify(marked)}`);
    }
    const { text, offset } = cursor("class A {\n  m() {\n    |\n  }\n}\n");
    const scope = scopeAt(parseText(text, "typescript"), offset);
    assert.equal(scope.definition?.name, "m");
    assert.equal(scope.blockSpan?.start.line, 1);
    assert.equal(scope.blockSpan?.end.line, 3);
  });

  it("reports references with their object, limited to the range", () => {
    const src = "import fs from 'fs';\nfunction f() {\n  return fs.readFileSync(path.join(a, b));\n}\nconst other = z;\n";
    const doc = parseText(src, "typescript");
    const body = definitions(doc).find((d) => d.name === "f")!.bodySpan!;
    const refs = references(doc, body.startOffset, body.endOffset).map((r) => (r.object ? `${r.object}.${r.name}` : r.name));
    assert.deepEqual(refs, ["fs", "fs.readFileSync", "path", "path.join", "a", "b"]);
  });

  it("works on documents from the store and from parseText alike", () => {
    const store = createDocumentStore();
    const text = "def f():\n    raise NotImplementedError\n";
    const open = store.open("file:///x.py", "python", 1, text);
    assert.deepEqual(stubs(open), stubs(parseText(text, "python")));
    assert.equal(open.language, "python");
    assert.equal(open.eol, "\n");
  });
});

describe("syntax: inherited import queries", () => {
  // TypeScript and TSX inherit JavaScript's imports.scm, so CommonJS requires count in every one of them.
  for (const language of ["javascript", "typescript", "tsx"]) {
    it(`${language}: ES imports and const/var requires`, () => {
      const doc = parseText('import { a } from "./a";\nconst { b } = require("./b");\nvar c = require("./c");\n', language);
      assert.deepEqual(imports(doc).map((i) => [i.module, i.names]), [["./a", ["a"]], ["./b", ["b"]], ["./c", ["c"]]]);
    });
  }
});

describe("syntax: top-level var declarations are definitions", () => {
  for (const language of ["javascript", "typescript", "tsx"]) {
    it(`${language}: var and export var, with their value spans`, () => {
      const doc = parseText('export var isMap = make("Map",\n  Map);\nvar count = 1;\nfunction f() {\n  var local = 2;\n}\n', language);
      const defs = definitions(doc);
      assert.deepEqual(defs.filter((d) => d.kind === "variable").map((d) => d.name), ["isMap", "count"]);
      const isMap = defs.find((d) => d.name === "isMap")!;
      assert.equal(doc.text.slice(isMap.valueSpan!.startOffset, isMap.valueSpan!.endOffset), 'make("Map",\n  Map)');
      const count = defs.find((d) => d.name === "count")!;
      assert.equal(doc.text.slice(count.valueSpan!.startOffset, count.valueSpan!.endOffset), "1");
    });
  }
});

describe("syntax: enclosingDefinition looks only around the offset", () => {
  for (const [lang, file] of [["typescript", "inventory.ts"], ["python", "billing.py"], ["rust", "ledger.rs"], ["go", "cache.go"], ["java", "OrderService.java"], ["javascript", "broken.js"]]) {
    it(`${lang}: answers like the full definition list at every line start and word (${file})`, async () => {
      const { readFileSync } = await import("node:fs");
      const { packagePath } = await import("../../server/paths.js");
      const text = readFileSync(packagePath("test", "fixtures", "syntax", lang, file), "utf8");
      const full = definitions(parseText(text, lang));
      const pick = (offset: number) => {
        let best: (typeof full)[number] | undefined;
        for (const d of full) {
          if (d.span.startOffset <= offset && offset <= d.span.endOffset) {
            if (!best || d.span.endOffset - d.span.startOffset <= best.span.endOffset - best.span.startOffset) best = d;
          }
        }
        return best;
      };
      const offsets = [...text.matchAll(/\n\s*|\b\w/g)].map((m) => m.index! + m[0].length);
      for (const offset of offsets) {
        // A fresh document per probe: its full definition list is not computed yet.
        const doc = createDocumentStore().open(`file:///probe.${lang}`, lang, 1, text);
        assert.deepEqual(enclosingDefinition(doc, offset), pick(offset), `offset ${offset}`);
      }
    });
  }
});

describe("syntax: declaration files", () => {
  it("reports no stubs in a Python .pyi type stub, but does in the same text as .py", () => {
    const text = "def load(path: str) -> bytes: ...\n\nclass Store:\n    def get(self, key: str) -> bytes: ...\n";
    const store = createDocumentStore();
    assert.deepEqual(stubs(store.open("file:///pkg/store.pyi", "python", 1, text)), []);
    assert.deepEqual(stubs(store.open("file:///pkg/store.py", "python", 1, text)).map((s) => s.name), ["load", "get"]);
  });
});
