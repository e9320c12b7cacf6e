import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { buildContext } from "../../server/context/index.js";
import { implicitNeighbours, resolveImport } from "../../server/context/resolve.js";
import { WorkspaceIndex } from "../../server/context/workspace.js";
import { createDocumentStore, definitions, imports } from "../../server/syntax/index.js";

/** Writes a small workspace into a temporary folder. */
function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-resolve-"));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function openDoc(root: string, rel: string, languageId: string) {
  const file = path.join(root, rel);
  return createDocumentStore().open(pathToFileURL(file).href, languageId, 1, fs.readFileSync(file, "utf8"));
}

/** The context for the Python function `name` of `rel`, as a stub waiting for its body. */
async function pythonStubContext(root: string, rel: string, name: string) {
  const doc = openDoc(root, rel, "python");
  const stub = definitions(doc).find((d) => d.name === name)!;
  return buildContext({ document: doc, target: { kind: "stub", stub: { ...stub, bodySpan: stub.bodySpan!, reason: "pass" } }, budgetTokens: 500, workspaceFolders: [root] });
}

describe("context import resolution", () => {
  const roots: string[] = [];
  after(() => {
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  });

  it("TypeScript: directory index files, .js → .ts, tsconfig paths, and re-exporting barrels", async () => {
    const root = workspace({
      "tsconfig.json": '{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["lib/*"] } } // comment\n}',
      "lib/index.ts": 'export * from "./shapes.js";\nexport { area } from "./area";\n',
      "lib/shapes.ts": "export interface Square { side: number }\n",
      "lib/area.ts": "export function area(s: { side: number }): number { return s.side ** 2; }\n",
      "lib/tools.ts": "export function tool(): number { return 1; }\n",
      "src/main.ts": 'import { Square, area } from "../lib";\nimport { tool } from "@lib/tools";\n\nexport function total(s: Square): number {\n  return area(s) + tool();\n}\n',
    });
    roots.push(root);
    const doc = openDoc(root, "src/main.ts", "typescript");
    const index = new WorkspaceIndex([root]);
    const from = path.join(root, "src", "main.ts");
    const [lib, tools] = imports(doc).map((i) => resolveImport("node", i, from, index));
    assert.deepEqual(lib!.files, [path.join(root, "lib", "index.ts")]);
    assert.deepEqual(tools!.files, [path.join(root, "lib", "tools.ts")]);

    const total = definitions(doc).find((d) => d.name === "total")!;
    const r = await buildContext({ document: doc, target: { kind: "function", definition: total, purpose: "explain" }, budgetTokens: 1000, workspaceFolders: [root] });
    const files = r.chunks.map((c) => c.relativePath);
    assert.ok(files.includes("lib/shapes.ts"), `Square through export * (${files})`);
    assert.ok(files.includes("lib/area.ts"), "area through export { area }");
    assert.ok(files.includes("lib/tools.ts"), "tool through tsconfig paths");
  });

  it("TypeScript and Python: names imported or re-exported under an alias", async () => {
    // immer's `import { immerable } from "../immer"`, where immer.ts has `export { DRAFTABLE as
    // immerable } from "./internal"`; rxjs' `import { iterator as Symbol_iterator }`.
    const root = workspace({
      "src/env.ts": "export const DRAFTABLE: unique symbol = Symbol.for('draftable')\nexport const OTHER = 1\n",
      "src/internal.ts": 'export * from "./env"\n',
      "src/immer.ts": 'export { DRAFTABLE as immerable, OTHER } from "./internal"\n',
      "src/iter.ts": "export function iterator(): number { return 1 }\n",
      "src/patches.ts": 'import { immerable } from "./immer"\nimport { iterator as Symbol_iterator } from "./iter"\n\nexport function mark(o: any): number {\n  o[immerable] = true\n  return Symbol_iterator()\n}\n',
      "app/__init__.py": "",
      "app/util.py": "def helper_function(x):\n    return x\n",
      "app/main.py": "from app.util import helper_function as helper\nimport app.util as u\n\n\ndef run(x):\n    return helper(x) + u.helper_function(x)\n",
    });
    roots.push(root);
    const ts = openDoc(root, "src/patches.ts", "typescript");
    assert.deepEqual(imports(ts).map((i) => [i.names, i.aliases]), [[["immerable"], undefined], [["iterator"], { iterator: "Symbol_iterator" }]]);
    const mark = definitions(ts).find((d) => d.name === "mark")!;
    const r = await buildContext({ document: ts, target: { kind: "function", definition: mark, purpose: "explain" }, budgetTokens: 1000, workspaceFolders: [root] });
    const shown = (rel: string) => r.chunks.filter((c) => c.relativePath === rel).map((c) => c.text).join("\n");
    assert.match(shown("src/env.ts"), /DRAFTABLE/, "immerable is env.ts' DRAFTABLE, through the aliasing re-export");
    assert.doesNotMatch(shown("src/env.ts"), /OTHER/);
    assert.match(shown("src/iter.ts"), /function iterator/, "Symbol_iterator is iter.ts' iterator");

    const py = openDoc(root, "app/main.py", "python");
    const [fromImport, moduleImport] = imports(py);
    assert.deepEqual(fromImport!.aliases, { helper_function: "helper" });
    assert.equal(moduleImport!.moduleAlias, "u");
    assert.equal(resolveImport("python", moduleImport!, path.join(root, "app", "main.py"), new WorkspaceIndex([root])).alias, "u");
    const run = definitions(py).find((d) => d.name === "run")!;
    const rp = await buildContext({ document: py, target: { kind: "function", definition: run, purpose: "explain" }, budgetTokens: 1000, workspaceFolders: [root] });
    assert.match(rp.chunks.filter((c) => c.relativePath === "app/util.py").map((c) => c.text).join("\n"), /def helper_function/);
  });

  it("Go: files of the same package and module-local imports", async () => {
    const root = workspace({
      "go.mod": "module example.com/app\n\ngo 1.21\n",
      "util/strings.go": "package util\n\n// Reverse reverses s.\nfunc Reverse(s string) string {\n\treturn s\n}\n",
      "main.go": 'package main\n\nimport (\n\t"fmt"\n\t"example.com/app/util"\n)\n\nfunc run() {\n\tfmt.Println(util.Reverse(greeting()))\n}\n',
      "helpers.go": 'package main\n\nfunc greeting() string {\n\treturn "hi"\n}\n',
      "main_test.go": "package main\n\nfunc TestRun(t *testing.T) {}\n",
    });
    roots.push(root);
    const index = new WorkspaceIndex([root]);
    const main = path.join(root, "main.go");
    assert.deepEqual(implicitNeighbours("go", main, index), [path.join(root, "helpers.go")]);
    const doc = openDoc(root, "main.go", "go");
    const run = definitions(doc).find((d) => d.name === "run")!;
    const r = await buildContext({ document: doc, target: { kind: "function", definition: run, purpose: "explain" }, budgetTokens: 1000, workspaceFolders: [root] });
    const text = r.chunks.map((c) => c.text).join("\n");
    assert.match(text, /func Reverse\(s string\) string/);
    assert.match(text, /func greeting\(\) string/);
  });

  it("Rust: mod declarations and use crate:: paths", () => {
    const root = workspace({
      "Cargo.toml": '[package]\nname = "app"\n',
      "src/lib.rs": "mod parser;\nuse crate::util::helpers::trim;\n",
      "src/parser.rs": "pub fn parse() {}\n",
      "src/util/mod.rs": "pub mod helpers;\n",
      "src/util/helpers.rs": "pub fn trim(s: &str) -> &str { s }\n",
    });
    roots.push(root);
    const index = new WorkspaceIndex([root]);
    const lib = path.join(root, "src", "lib.rs");
    const doc = openDoc(root, "src/lib.rs", "rust");
    const resolved = imports(doc).map((i) => resolveImport("rust", i, lib, index));
    assert.deepEqual(resolved.map((r) => r.files), [[path.join(root, "src", "parser.rs")], [path.join(root, "src", "util", "helpers.rs")]]);
    assert.ok(resolved[1]!.names.includes("trim"));
  });

  it("Java classes and C includes", () => {
    const root = workspace({
      "src/com/app/Main.java": "package com.app;\nimport com.app.util.Helper;\nclass Main {}\n",
      "src/com/app/util/Helper.java": "package com.app.util;\npublic class Helper {}\n",
      "c/main.c": '#include "util.h"\n#include <stdio.h>\n',
      "c/util.h": "int util(void);\n",
    });
    roots.push(root);
    const index = new WorkspaceIndex([root]);
    const javaFile = path.join(root, "src", "com", "app", "Main.java");
    const [helper] = imports(openDoc(root, "src/com/app/Main.java", "java")).map((i) => resolveImport("java", i, javaFile, index));
    assert.deepEqual(helper!.files, [path.join(root, "src", "com", "app", "util", "Helper.java")]);
    const cFile = path.join(root, "c", "main.c");
    const [util, stdio] = imports(openDoc(root, "c/main.c", "c")).map((i) => resolveImport("include", i, cFile, index));
    assert.deepEqual(util!.files, [path.join(root, "c", "util.h")]);
    assert.deepEqual(stdio!.files, []);
  });

  it("Python: `from pkg import module` binds the submodule for `module.name` uses", async () => {
    const root = workspace({
      "app/__init__.py": "",
      "app/errors.py": "class ParseError(Exception):\n    pass\n\n\nclass Unused(Exception):\n    pass\n",
      "app/parse.py": "from app import errors\n\n\ndef parse(text):\n    pass\n\n\ndef other(text):\n    raise errors.ParseError(text)\n",
    });
    roots.push(root);
    const r = await pythonStubContext(root, "app/parse.py", "parse");
    const errors = r.chunks.filter((c) => c.relativePath === "app/errors.py").map((c) => c.text).join("\n");
    assert.match(errors, /class ParseError/);
    assert.doesNotMatch(errors, /class Unused/, "only what the file uses from the module");
  });

  it("Python: a submodule that defines a function of its own name still binds the module", async () => {
    // distutils' `from distutils import log`: log.py has a `log` function, and `log.info` is a
    // member of the module, not of that function.
    const root = workspace({
      "app/__init__.py": "",
      "app/log.py": "def log(level, msg):\n    print(level, msg)\n\n\ndef info(msg):\n    log(1, msg)\n\n\ndef never_used(msg):\n    pass\n",
      "app/build.py": "from app import log\n\n\ndef build(path):\n    pass\n\n\ndef clean(path):\n    log.info('cleaning ' + path)\n",
    });
    roots.push(root);
    const file = path.join(root, "app", "build.py");
    const [imp] = imports(openDoc(root, "app/build.py", "python"));
    const resolved = resolveImport("python", imp!, file, new WorkspaceIndex([root]));
    assert.deepEqual(resolved.submodules, { log: path.join(root, "app", "log.py") });
    const r = await pythonStubContext(root, "app/build.py", "build");
    const logChunks = r.chunks.filter((c) => c.relativePath === "app/log.py").map((c) => c.text).join("\n");
    assert.match(logChunks, /def info\(msg\)/, `the member the file uses is offered:\n${r.chunks.map((c) => c.text).join("\n---\n")}`);
  });
});
