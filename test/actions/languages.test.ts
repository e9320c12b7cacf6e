/**
 * "Generate implementation" in each of the ten languages the syntax layer covers, through the
 * server process and the fake LLM. Each case's reply has a flaw models really produce (fence,
 * prose, echoed signature, foreign indentation), and the expected file is exact.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CodeAction } from "vscode-languageserver-protocol";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import { fakeSettings } from "../fakeLlm/settings.js";
import { startServer, type TestServer } from "../helpers/lspClient.js";
import { actionsAt, applyTo, marked, pick } from "./helpers.js";

interface Case {
  name: string;
  file: string;
  languageId: string;
  /** Source with a `|` cursor marker. */
  src: string;
  reply: string;
  expected: string;
}

const cases: Case[] = [
  {
    name: "typescript: echoed doc comment and signature",
    file: "src/math.ts",
    languageId: "typescript",
    src: "/** Sum of a and b. */\nexport function add(a: number, b: number): number {\n  throw new Error(\"not implemented\");|\n}\n",
    reply: "```ts\n/** Sum of a and b. */\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```",
    expected: "/** Sum of a and b. */\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n",
  },
  {
    name: "tsx: JSX body in a tsx fence",
    file: "src/Greeting.tsx",
    languageId: "typescriptreact",
    src: "export function Greeting(props: { name: string }) {\n  // TODO|\n}\n",
    reply: "```tsx\nreturn <p>Hello {props.name}</p>;\n```",
    expected: "export function Greeting(props: { name: string }) {\n  return <p>Hello {props.name}</p>;\n}\n",
  },
  {
    name: "javascript: unfenced reply with prose",
    file: "lib/add.js",
    languageId: "javascript",
    src: "function add(a, b) {\n  throw new Error(\"not implemented\");|\n}\n\nmodule.exports = { add };\n",
    reply: "Here is the body:\nreturn a + b;\nThis returns the sum.",
    expected: "function add(a, b) {\n  return a + b;\n}\n\nmodule.exports = { add };\n",
  },
  {
    name: "python: method with a docstring, echoed signature and docstring, 2-space reply",
    file: "pkg/stats.py",
    languageId: "python",
    src: "class Stats:\n    def mean(self, xs):\n        \"\"\"Average of xs.\"\"\"\n        pass|\n\n    def other(self):\n        return 1\n",
    reply: "```python\ndef mean(self, xs):\n  \"\"\"Average of xs.\"\"\"\n  if not xs:\n    return 0.0\n  return sum(xs) / len(xs)\n```",
    expected: "class Stats:\n    def mean(self, xs):\n        \"\"\"Average of xs.\"\"\"\n        if not xs:\n            return 0.0\n        return sum(xs) / len(xs)\n\n    def other(self):\n        return 1\n",
  },
  {
    name: "go: spaces in the reply become the file's tabs",
    file: "calc/add.go",
    languageId: "go",
    src: "package calc\n\nfunc Add(a, b int) int {\n\tpanic(\"not implemented\")|\n}\n",
    reply: "```go\nif a == 0 {\n    return b\n}\nreturn a + b\n```",
    expected: "package calc\n\nfunc Add(a, b int) int {\n\tif a == 0 {\n\t\treturn b\n\t}\n\treturn a + b\n}\n",
  },
  {
    name: "rust: todo!() replaced",
    file: "src/lib.rs",
    languageId: "rust",
    src: "pub fn add(a: i32, b: i32) -> i32 {\n    todo!()|\n}\n",
    reply: "```rust\na + b\n```",
    expected: "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n",
  },
  {
    name: "java: method inside a class",
    file: "src/main/java/com/acme/Calc.java",
    languageId: "java",
    src: "package com.acme;\n\npublic class Calc {\n    public int add(int a, int b) {\n        throw new UnsupportedOperationException();|\n    }\n}\n",
    reply: "```java\nreturn a + b;\n```",
    expected: "package com.acme;\n\npublic class Calc {\n    public int add(int a, int b) {\n        return a + b;\n    }\n}\n",
  },
  {
    name: "c: TODO comment body, reply with the whole function",
    file: "src/add.c",
    languageId: "c",
    src: "int add(int a, int b) {\n    /* TODO */|\n}\n",
    reply: "```c\nint add(int a, int b) {\n  return a + b;\n}\n```",
    expected: "int add(int a, int b) {\n    return a + b;\n}\n",
  },
  {
    name: "cpp: empty body",
    file: "src/add.cpp",
    languageId: "cpp",
    src: "int add(int a, int b) {|}\n",
    reply: "```cpp\nreturn a + b;\n```",
    expected: "int add(int a, int b) {\n    return a + b;\n}\n",
  },
  {
    name: "bash: TODO body",
    file: "scripts/greet.sh",
    languageId: "shellscript",
    src: "greet() {\n  # TODO|\n  :\n}\n",
    reply: "```bash\necho \"Hello, $1\"\n```",
    expected: "greet() {\n  echo \"Hello, $1\"\n}\n",
  },
  {
    name: "ruby: raise NotImplementedError",
    file: "lib/calc.rb",
    languageId: "ruby",
    src: "def add(a, b)\n  raise NotImplementedError|\nend\n",
    reply: "```ruby\na + b\n```",
    expected: "def add(a, b)\n  a + b\nend\n",
  },
];

describe("actions: Generate implementation in every language (server process + fake LLM)", function () {
  this.timeout(60000);
  let fake: FakeLlm;
  let server: TestServer;
  let ws: string;

  before(async () => {
    fake = await startFakeLlm();
    ws = fs.mkdtempSync(path.join(os.tmpdir(), "actions-lang-"));
    server = await startServer({ initializationOptions: fakeSettings(fake.url), workspaceFolders: [ws] });
  });
  after(async () => {
    await server?.kill();
    await fake.close();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(c.name, async () => {
      const { text, position } = marked(c.src);
      const file = path.join(ws, c.file);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      const uri = await server.openDocument(file, c.languageId, text);
      fake.enqueue(c.reply);
      const gen = pick(await actionsAt(server, uri, position), "Generate implementation");
      const resolved = await server.request<CodeAction>("codeAction/resolve", gen);
      assert.ok(resolved.edit, `an edit (messages: ${JSON.stringify(server.showMessages().slice(-1))})`);
      assert.equal(applyTo(text, resolved.edit!, uri), c.expected);
    });
  }
});
