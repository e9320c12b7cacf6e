/**
 * "Document", "Fix: <message>" and custom actions through the server process and the fake LLM.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { CodeAction } from "vscode-languageserver-protocol";
import { fakeSettings } from "../fakeLlm/settings.js";
import { startServer, type TestServer } from "../helpers/lspClient.js";
import { actionsAt, applyTo, marked, pick } from "./helpers.js";
import { useServerFixture } from "../helpers/serverFixture.js";

describe("actions: Document, Fix and custom actions (server process + fake LLM)", function () {
  this.timeout(30000);
  const f = useServerFixture("actions-doc-");

  async function start(overrides: Parameters<typeof fakeSettings>[1] = {}): Promise<TestServer> {
    f.server = await startServer({ initializationOptions: fakeSettings(f.fake.url, overrides), workspaceFolders: [f.ws] });
    return f.server;
  }

  async function open(s: TestServer, rel: string, languageId: string, src: string) {
    const { text, position } = marked(src);
    const file = path.join(f.ws, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return { uri: await s.openDocument(file, languageId, text), text, position };
  }

  const lastPrompt = () => JSON.stringify(f.fake.requests.filter((r) => r.endpoint === "chat").at(-1)!.body.messages);

  it("Document (TypeScript): only the JSDoc is taken from the reply and put above the function; the code is untouched", async () => {
    const s = await start();
    const { uri, text, position } = await open(s, "src/math.ts", "typescript", "export class M {\n  scale(xs: number[], k: number): number[] {\n    return xs.map((x) => x| * k);\n  }\n}\n");
    // The model also "improved" the body: that change must not be applied.
    f.fake.enqueue("```ts\n/**\n * Multiplies every value by k.\n * @param xs the values\n * @param k the factor\n */\nscale(xs: number[], k: number): number[] {\n  return xs.map((x) => x * k * 1);\n}\n```");
    const action = pick(await actionsAt(s, uri, position), "Document scale");
    assert.equal(action.kind, "refactor.rewrite");
    const resolved = await s.request<CodeAction>("codeAction/resolve", action);
    assert.ok(resolved.edit, JSON.stringify(s.showMessages()));
    assert.equal(
      applyTo(text, resolved.edit!, uri),
      "export class M {\n  /**\n   * Multiplies every value by k.\n   * @param xs the values\n   * @param k the factor\n   */\n  scale(xs: number[], k: number): number[] {\n    return xs.map((x) => x * k);\n  }\n}\n",
    );
  });

  it("Document (Python): the docstring goes first in the body, where the model put it", async () => {
    const s = await start();
    const { uri, text, position } = await open(s, "pkg/m.py", "python", "def scale(xs, k):\n    return [x| * k for x in xs]\n");
    f.fake.enqueue("```python\ndef scale(xs, k):\n    \"\"\"Multiply every value by k.\n\n    Args:\n        xs: the values.\n    \"\"\"\n    return [x * k for x in xs]\n```");
    const resolved = await s.request<CodeAction>("codeAction/resolve", pick(await actionsAt(s, uri, position), "Document scale"));
    assert.ok(resolved.edit, JSON.stringify(s.showMessages()));
    assert.equal(
      applyTo(text, resolved.edit!, uri),
      "def scale(xs, k):\n    \"\"\"Multiply every value by k.\n\n    Args:\n        xs: the values.\n    \"\"\"\n    return [x * k for x in xs]\n",
    );
  });

  it("Fix: <message> is a quickfix carrying its diagnostic; the corrected function replaces the old one", async () => {
    const s = await start();
    const src = "/** Sum. */\nexport function add(a: number, b: number): number {\n  return a + |b2;\n}\n";
    const { uri, text, position } = await open(s, "src/fix.ts", "typescript", src);
    const diagnostic = { range: { start: position, end: { line: position.line, character: position.character + 2 } }, message: "Cannot find name 'b2'. Did you mean 'b'?", source: "ts", severity: 1 };
    f.fake.enqueue("Here is the fix:\n```ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```");
    const actions = await actionsAt(s, uri, position, [diagnostic]);
    const fix = pick(actions, "Fix: Cannot find name 'b2'.");
    assert.equal(fix.kind, "quickfix");
    assert.deepEqual(fix.diagnostics, [diagnostic]);
    assert.deepEqual((await actionsAt(s, uri, position, [diagnostic], ["quickfix"])).map((a) => a.title), [fix.title]);
    const resolved = await s.request<CodeAction>("codeAction/resolve", fix);
    assert.ok(resolved.edit, JSON.stringify(s.showMessages()));
    assert.match(lastPrompt(), /Diagnostic \(ts\): Cannot find name 'b2'/);
    assert.equal(applyTo(text, resolved.edit!, uri), "/** Sum. */\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n");
  });

  it("a custom action on a selection fills its template and replaces the selected lines, with its own model", async () => {
    const s = await start({ actions: { custom: [{ title: "Use const", prompt: "Rewrite this {language} from {filePath} using const:\n{selection}", targets: ["selection"], model: "fake-special" }] } });
    const src = "function f() {\n  let a = 1;\n  let b = 2;\n  return a + b;\n}\n";
    const { uri, text } = await open(s, "src/c.ts", "typescript", "|" + src);
    f.fake.enqueue("```ts\nconst a = 1;\nconst b = 2;\n```");
    const range = { start: { line: 1, character: 0 }, end: { line: 3, character: 0 } };
    const actions = await s.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range, context: { diagnostics: [] } });
    const custom = pick(actions, "Use const");
    const resolved = await s.request<CodeAction>("codeAction/resolve", custom);
    assert.ok(resolved.edit, JSON.stringify(s.showMessages()));
    const req = f.fake.requests.filter((r) => r.endpoint === "chat").at(-1)!;
    assert.equal(req.body.model, "fake-special");
    assert.match(JSON.stringify(req.body.messages), /Rewrite this typescript from src\/c\.ts using const:\\n  let a = 1;\\n  let b = 2;/);
    assert.equal(applyTo(text, resolved.edit!, uri), "function f() {\n  const a = 1;\n  const b = 2;\n  return a + b;\n}\n");
  });

  it("Fix outside any function replaces just the diagnostic's lines", async () => {
    const s = await start();
    const src = "import fs from \"node:fs\";\n\nconst limit: number = |\"ten\";\nexport const twice = limit * 2;\n";
    const { uri, text, position } = await open(s, "src/top.ts", "typescript", src);
    const diagnostic = { range: { start: position, end: { line: position.line, character: position.character + 5 } }, message: "Type 'string' is not assignable to type 'number'.", source: "ts" };
    f.fake.enqueue("```ts\nconst limit: number = 10;\n```");
    const fix = pick(await actionsAt(s, uri, position, [diagnostic]), "Fix: Type 'string'");
    const resolved = await s.request<CodeAction>("codeAction/resolve", fix);
    assert.ok(resolved.edit, JSON.stringify(s.showMessages()));
    assert.equal(applyTo(text, resolved.edit!, uri), "import fs from \"node:fs\";\n\nconst limit: number = 10;\nexport const twice = limit * 2;\n");
  });

  it("custom actions on a stub and on a function (targets defaulting to function and selection)", async () => {
    const s = await start({
      actions: {
        custom: [
          { title: "Implement iteratively", prompt: "Implement {code} without recursion.", targets: ["stub"] },
          { title: "Make it faster", prompt: "Speed up:\n{code}" } as never,
        ],
      },
    });
    const src = "export function fib(n: number): number {\n  // TODO|\n}\n\nexport function sum(xs: number[]): number {\n  let s = 0;\n  for (const x of xs) s += x;\n  return s;\n}\n";
    const { uri, text, position } = await open(s, "src/f.ts", "typescript", src);
    const onStub = (await actionsAt(s, uri, position)).map((a) => a.title);
    assert.ok(onStub.includes("Implement iteratively"), onStub.join(", "));
    f.fake.enqueue("```ts\nlet [a, b] = [0, 1];\nfor (let i = 0; i < n; i++) [a, b] = [b, a + b];\nreturn a;\n```");
    const stubAction = pick(await actionsAt(s, uri, position), "Implement iteratively");
    const r1 = await s.request<CodeAction>("codeAction/resolve", stubAction);
    assert.ok(r1.edit, JSON.stringify(s.showMessages()));
    const after = applyTo(text, r1.edit!, uri);
    assert.match(after, /^export function fib\(n: number\): number \{\n  let \[a, b\] = \[0, 1\];\n  for .*\n  return a;\n\}\n/);
    const inSum = { line: 5, character: 4 };
    const titles = (await actionsAt(s, uri, inSum)).map((a) => a.title);
    assert.ok(titles.includes("Make it faster") && !titles.includes("Implement iteratively"), titles.join(", "));
    f.fake.enqueue("```ts\nexport function sum(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n```");
    const r2 = await s.request<CodeAction>("codeAction/resolve", pick(await actionsAt(s, uri, inSum), "Make it faster"));
    assert.ok(r2.edit, JSON.stringify(s.showMessages()));
    assert.equal(applyTo(text, r2.edit!, uri), text.replace("  let s = 0;\n  for (const x of xs) s += x;\n  return s;", "  return xs.reduce((a, b) => a + b, 0);"));
  });
});
