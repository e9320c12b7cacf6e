/**
 * "Add tests" through the server process and the fake LLM, in TypeScript, Python, Go and Rust:
 * a new file (CreateFile only when the editor supports it), an existing file extended with the
 * imports it lacks, and Rust's in-file test module extended in place.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { CodeAction, CreateFile, WorkspaceEdit } from "vscode-languageserver-protocol";
import { fakeSettings } from "../fakeLlm/settings.js";
import { defaultCapabilities, startServer, type TestServer } from "../helpers/lspClient.js";
import { actionsAt, applyTo, marked, pick, until } from "./helpers.js";
import { useServerFixture } from "../helpers/serverFixture.js";

describe("actions: Add tests (server process + fake LLM)", function () {
  this.timeout(30000);
  const f = useServerFixture("actions-tests-");

  function write(rel: string, text: string): string {
    const file = path.join(f.ws, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  async function start(opts: { create?: boolean; resolve?: boolean } = {}): Promise<TestServer> {
    const caps = structuredClone(defaultCapabilities);
    if (opts.resolve === false) delete caps.textDocument!.codeAction!.resolveSupport;
    caps.workspace!.workspaceEdit = { documentChanges: true, ...(opts.create === false ? {} : { resourceOperations: ["create"] }) };
    f.server = await startServer({ initializationOptions: fakeSettings(f.fake.url), capabilities: caps, workspaceFolders: [f.ws] });
    return f.server;
  }

  async function addTests(s: TestServer, rel: string, languageId: string, src: string, reply: string): Promise<{ uri: string; text: string; resolved: CodeAction }> {
    const { text, position } = marked(src);
    const uri = await s.openDocument(write(rel, text), languageId, text);
    f.fake.enqueue(reply);
    const action = pick(await actionsAt(s, uri, position), "Add tests for");
    assert.equal(action.kind, "refactor");
    const resolved = await s.request<CodeAction>("codeAction/resolve", action);
    return { uri, text, resolved };
  }

  const userPrompt = () => JSON.stringify(f.fake.requests.filter((r) => r.endpoint === "chat").at(-1)!.body.messages);

  it("TypeScript: creates src/math.test.ts with the framework from package.json (vitest)", async () => {
    write("package.json", JSON.stringify({ name: "x", devDependencies: { vitest: "^1.0.0" } }));
    const s = await start();
    const reply = "```ts\nimport { describe, it, expect } from \"vitest\";\nimport { add } from \"./math.js\";\n\ndescribe(\"add\", () => {\n    it(\"adds\", () => {\n        expect(add(1, 2)).toBe(3);\n    });\n});\n```";
    const { resolved } = await addTests(s, "src/math.ts", "typescript", "export function add(a: number, b: number): number {\n  return a| + b;\n}\n", reply);
    assert.ok(resolved.edit, JSON.stringify(s.showMessages()));
    assert.match(userPrompt(), /using vitest/);
    assert.match(userPrompt(), /src\/math\.test\.ts/);
    const testUri = pathToFileURL(path.join(f.ws, "src/math.test.ts")).href;
    const changes = resolved.edit!.documentChanges!;
    assert.deepEqual(changes[0], { kind: "create", uri: testUri, options: { ignoreIfExists: true } } satisfies CreateFile);
    assert.equal(
      applyTo("", resolved.edit!, testUri),
      "import { describe, it, expect } from \"vitest\";\nimport { add } from \"./math.js\";\n\ndescribe(\"add\", () => {\n  it(\"adds\", () => {\n    expect(add(1, 2)).toBe(3);\n  });\n});\n",
    );
  });

  it("TypeScript: follows the workspace's __tests__/ pattern and its framework (jest)", async () => {
    write("package.json", JSON.stringify({ name: "x", devDependencies: { jest: "^29.0.0" } }));
    write("src/other.ts", "export const x = 1;\n");
    write("src/__tests__/other.test.ts", "import { x } from \"../other\";\ntest(\"x\", () => expect(x).toBe(1));\n");
    const s = await start();
    const { resolved } = await addTests(s, "src/math.ts", "typescript", "export function add(a: number, b: number): number {\n  return a| + b;\n}\n", "```ts\ntest(\"adds\", () => expect(add(1, 2)).toBe(3));\n```");
    assert.ok(resolved.edit);
    assert.match(userPrompt(), /using jest/);
    const created = resolved.edit!.documentChanges![0] as CreateFile;
    assert.equal(created.uri, pathToFileURL(path.join(f.ws, "src/__tests__/math.test.ts")).href);
  });

  it("TypeScript without resource operations: a clear message, nothing applied", async () => {
    const s = await start({ create: false, resolve: false });
    const { text, position } = marked("export function add(a: number, b: number): number {\n  return a| + b;\n}\n");
    const uri = await s.openDocument(write("src/math.ts", text), "typescript", text);
    f.fake.enqueue("```ts\ntest(\"adds\", () => expect(add(1, 2)).toBe(3));\n```");
    f.fake.enqueue("```ts\ntest(\"adds\", () => expect(add(1, 2)).toBe(3));\n```");
    const action = pick(await actionsAt(s, uri, position), "Add tests for");
    await s.request("workspace/executeCommand", action.command);
    const msg = await s.waitForNotification("window/showMessage", (p) => /Add tests/.test(p.message));
    assert.match(msg.message, /src\/math\.test\.ts does not exist and this editor cannot create files/);
    assert.equal(s.appliedEdits.length, 0);
  });

  it("Python: appends to tests/test_stats.py (pytest), adding only the import it lacks", async () => {
    write("pyproject.toml", "[tool.pytest.ini_options]\n");
    const existing = "import pytest\nfrom pkg.stats import mean\n\n\ndef test_mean_one():\n    assert mean([1]) == 1\n";
    write("tests/test_stats.py", existing);
    const s = await start();
    const reply = "```python\nimport math\nimport pytest\nfrom pkg.stats import mean\n\n\ndef test_mean_pair():\n  assert math.isclose(mean([1, 2]), 1.5)\n```";
    const { resolved } = await addTests(s, "pkg/stats.py", "python", "def mean(xs):\n    return sum(xs) / len(xs)|\n", reply);
    assert.ok(resolved.edit, JSON.stringify(s.showMessages()));
    assert.match(userPrompt(), /using pytest/);
    const testUri = pathToFileURL(path.join(f.ws, "tests/test_stats.py")).href;
    const dc = resolved.edit!.documentChanges![0] as { textDocument: { version: number | null } };
    assert.equal(dc.textDocument.version, null, "a file that is not open has no version");
    assert.equal(
      applyTo(existing, resolved.edit!, testUri),
      "import pytest\nfrom pkg.stats import mean\nimport math\n\n\ndef test_mean_one():\n    assert mean([1]) == 1\n\n\ndef test_mean_pair():\n    assert math.isclose(mean([1, 2]), 1.5)\n",
    );
  });

  it("Go: extends calc/add_test.go in the same package through executeCommand, new import inside the group", async () => {
    const existing = "package calc\n\nimport (\n\t\"testing\"\n)\n\nfunc TestAddZero(t *testing.T) {\n\tif Add(0, 0) != 0 {\n\t\tt.Fatal(\"zero\")\n\t}\n}\n";
    write("calc/add_test.go", existing);
    const s = await start({ resolve: false });
    const { text, position } = marked("package calc\n\nfunc Add(a, b int) int {\n\treturn a| + b\n}\n");
    const uri = await s.openDocument(write("calc/add.go", text), "go", text);
    f.fake.enqueue("```go\npackage calc\n\nimport (\n    \"fmt\"\n    \"testing\"\n)\n\nfunc TestAddPair(t *testing.T) {\n    if got := Add(1, 2); got != 3 {\n        t.Fatal(fmt.Sprint(got))\n    }\n}\n```");
    const action = pick(await actionsAt(s, uri, position), "Add tests for");
    await s.request("workspace/executeCommand", action.command);
    await until(() => s.appliedEdits.length === 1, "workspace/applyEdit");
    const testUri = pathToFileURL(path.join(f.ws, "calc/add_test.go")).href;
    assert.equal(
      applyTo(existing, s.appliedEdits[0]!.edit as WorkspaceEdit, testUri),
      "package calc\n\nimport (\n\t\"testing\"\n\t\"fmt\"\n)\n\nfunc TestAddZero(t *testing.T) {\n\tif Add(0, 0) != 0 {\n\t\tt.Fatal(\"zero\")\n\t}\n}\n\nfunc TestAddPair(t *testing.T) {\n\tif got := Add(1, 2); got != 3 {\n\t\tt.Fatal(fmt.Sprint(got))\n\t}\n}\n",
    );
  });

  it("Rust: extends the existing #[cfg(test)] mod tests in the same file", async () => {
    const src = "pub fn add(a: i32, b: i32) -> i32 {\n    a| + b\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds() {\n        assert_eq!(add(1, 2), 3);\n    }\n}\n";
    const s = await start();
    const reply = "```rust\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds_negative() {\n        assert_eq!(add(-1, -2), -3);\n    }\n}\n```";
    const { uri, text, resolved } = await addTests(s, "src/lib.rs", "rust", src, reply);
    assert.ok(resolved.edit, JSON.stringify(s.showMessages()));
    assert.match(userPrompt(), /inside the existing `tests`/);
    assert.equal(
      applyTo(text, resolved.edit!, uri),
      "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds() {\n        assert_eq!(add(1, 2), 3);\n    }\n\n    #[test]\n    fn adds_negative() {\n        assert_eq!(add(-1, -2), -3);\n    }\n}\n",
    );
  });

  it("Rust: appends a test module when the file has none", async () => {
    const s = await start();
    const reply = "```rust\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds() {\n        assert_eq!(add(1, 2), 3);\n    }\n}\n```";
    const { uri, text, resolved } = await addTests(s, "src/lib.rs", "rust", "pub fn add(a: i32, b: i32) -> i32 {\n    a| + b\n}\n", reply);
    assert.ok(resolved.edit, JSON.stringify(s.showMessages()));
    assert.equal(
      applyTo(text, resolved.edit!, uri),
      "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds() {\n        assert_eq!(add(1, 2), 3);\n    }\n}\n",
    );
  });

  it("a file outside every workspace folder gets no test file written, and a message says so", async () => {
    const s = await start({ resolve: false });
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "actions-outside-"));
    try {
      const { text, position } = marked("export function add(a: number, b: number): number {\n  return a| + b;\n}\n");
      const file = path.join(outside, "math.ts");
      fs.writeFileSync(file, text);
      const uri = await s.openDocument(file, "typescript", text);
      const action = pick(await actionsAt(s, uri, position), "Add tests for");
      await s.request("workspace/executeCommand", action.command);
      const msg = await s.waitForNotification("window/showMessage", (p) => /Add tests/.test(p.message));
      assert.match(msg.message, /not inside a workspace folder/);
      assert.equal(f.fake.requests.filter((r) => r.endpoint === "chat").length, 0, "no model call for an action that cannot apply");
      assert.equal(s.appliedEdits.length, 0);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
