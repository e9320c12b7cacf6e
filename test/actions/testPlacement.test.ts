import assert from "node:assert/strict";
import path from "node:path";
import { conventionsFor } from "../../server/syntax/index.js";
import { detectFramework, expandPattern, placeTests, type FileAccess } from "../../server/actions/testPlacement.js";
import { mergeImports } from "../../server/actions/mergeImports.js";

const root = "/ws";

/** An in-memory workspace: paths relative to /ws mapped to their text. */
function files(tree: Record<string, string>): FileAccess {
  const abs = new Map(Object.entries(tree).map(([k, v]) => [path.join(root, k), v]));
  const dirs = new Set<string>();
  for (const p of abs.keys()) for (let d = path.dirname(p); d !== "/"; d = path.dirname(d)) dirs.add(d);
  return {
    exists: (p) => abs.has(p) || dirs.has(p),
    read: (p) => abs.get(p),
    list: (dir) => [...new Set([...abs.keys(), ...dirs].filter((p) => path.dirname(p) === dir).map((p) => path.basename(p)))],
  };
}

const place = (lang: string, source: string, tree: Record<string, string>) => {
  const r = placeTests(path.join(root, source), conventionsFor(lang)!, root, files({ [source]: "", ...tree }));
  assert.ok(!("error" in r), JSON.stringify(r));
  return r;
};

describe("actions test placement", () => {
  it("expands {dir} {name} {ext}, Maven {package} and Rust's in-file {file}#… patterns", () => {
    assert.equal(expandPattern("{dir}/{name}.test{ext}", root, "/ws/src/a/util.ts"), "/ws/src/a/util.test.ts");
    assert.equal(expandPattern("src/test/java/{package}/{name}Test.java", root, "/ws/src/main/java/com/acme/Calc.java"), "/ws/src/test/java/com/acme/CalcTest.java");
    assert.equal(expandPattern("{file}#[cfg(test)] mod tests", root, "/ws/src/lib.rs"), "/ws/src/lib.rs");
    assert.equal(expandPattern("{unknown}/x", root, "/ws/a.ts"), undefined);
  });

  it("TypeScript: the first pattern by default, an existing test file first, the siblings' pattern otherwise", () => {
    assert.equal(place("typescript", "src/math.ts", {}).relPath, "src/math.test.ts");
    assert.equal(place("typescript", "src/math.ts", { "src/math.spec.ts": "" }).relPath, "src/math.spec.ts");
    const r = place("typescript", "src/math.ts", { "src/util.ts": "", "src/__tests__/util.test.ts": "import { test } from 'vitest';" });
    assert.equal(r.relPath, "src/__tests__/math.test.ts");
    assert.equal(r.exists, false);
    assert.equal(r.framework, "vitest", "a sibling's test file reveals the framework");
  });

  it("TypeScript frameworks from package.json: mocha, jest, node:test", () => {
    assert.equal(place("typescript", "src/a.ts", { "package.json": '{"devDependencies":{"mocha":"^11"}}' }).framework, "mocha");
    assert.equal(place("typescript", "src/a.ts", { "package.json": '{"devDependencies":{"jest":"^29"}}' }).framework, "jest");
    assert.equal(place("typescript", "src/a.ts", { "src/a.test.ts": 'import test from "node:test";' }).framework, "node:test");
  });

  it("Python: tests/test_<module>.py, or beside the module when that is the workspace's habit; pytest or unittest", () => {
    assert.equal(place("python", "pkg/stats.py", {}).relPath, "tests/test_stats.py");
    assert.equal(place("python", "pkg/stats.py", { "pkg/io.py": "", "pkg/test_io.py": "import unittest\nclass T(unittest.TestCase): pass" }).relPath, "pkg/test_stats.py");
    assert.equal(place("python", "pkg/stats.py", { "pkg/io.py": "", "pkg/test_io.py": "import unittest\n" }).framework, "unittest");
    assert.equal(place("python", "pkg/stats.py", { "pyproject.toml": "[tool.pytest.ini_options]" }).framework, "pytest");
  });

  it("Go beside the file, Rust in the same file, Java in the mirrored test tree", () => {
    assert.equal(place("go", "calc/add.go", {}).relPath, "calc/add_test.go");
    const rs = place("rust", "src/lib.rs", {});
    assert.equal(rs.sameFile, true);
    assert.equal(place("java", "src/main/java/com/acme/Calc.java", {}).relPath, "src/test/java/com/acme/CalcTest.java");
  });

  it("never places a test file outside the workspace", () => {
    const r = placeTests("/elsewhere/a.ts", conventionsFor("typescript")!, root, files({}));
    assert.ok("error" in r);
  });

  it("detectFramework weighs an existing test file above the manifests", () => {
    const markers = { jest: ["jest"], vitest: ["vitest"] };
    assert.equal(detectFramework(markers, [{ text: "jest", weight: 1 }, { text: "from 'vitest'", weight: 3 }]), "vitest");
    assert.equal(detectFramework(markers, [{ text: "nothing", weight: 1 }]), undefined);
  });
});

describe("actions mergeImports", () => {
  it("TypeScript: keeps the file's imports, moves the new one next to them, strips all imports from the code", () => {
    const existing = 'import { describe, it } from "vitest";\nimport { add } from "./math.js";\n\ndescribe("a", () => {});\n';
    const code = 'import { describe, it } from "vitest";\nimport { sub } from "./math.js";\n\nit("subs", () => {});';
    const m = mergeImports(code, existing, "typescript", "\n");
    assert.equal(m.rest.trim(), 'it("subs", () => {});');
    assert.deepEqual(m.insert, { offset: existing.indexOf("\n\ndescribe"), text: '\nimport { sub } from "./math.js";' });
  });

  it("Go: a spec after a single-line import gets the import keyword from the file's own line", () => {
    const existing = 'package calc\n\nimport "testing"\n\nfunc TestA(t *testing.T) {}\n';
    const code = 'import (\n\t"strings"\n\t"testing"\n)\n\nfunc TestB(t *testing.T) { _ = strings.ToUpper("") }';
    const m = mergeImports(code, existing, "go", "\n");
    assert.equal(m.insert?.text, '\nimport "strings"');
    assert.equal(m.rest.trim(), 'func TestB(t *testing.T) { _ = strings.ToUpper("") }');
  });
});
