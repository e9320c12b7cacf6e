import assert from "node:assert/strict";
import type { ContextResult } from "../../../server/context/types.js";
import { fimCacheKey, fimInputFromContext, renderFim, type FimInput } from "../../../server/prompts/fim.js";
import { HOLE, extractFimChatReply } from "../../../server/prompts/fimChat.js";
import { fimFamilyFor, fimTemplateFor } from "../../../server/prompts/fimTemplates.js";

const base: FimInput = {
  prefix: "def add(a, b):\n    ",
  suffix: "\n\nprint(add(1, 2))\n",
  path: "src/math.py",
  languageId: "python",
  files: [],
  lineComment: "#",
  repoName: "proj",
  multiline: true,
};
const withFiles: FimInput = { ...base, files: [{ path: "src/util.py", text: "def helper(x): ..." }] };

describe("FIM templates", () => {
  it("picks the family from the model name, or from the setting", () => {
    assert.equal(fimFamilyFor("qwen2.5-coder:1.5b"), "qwen");
    assert.equal(fimFamilyFor("Qwen/Qwen2.5-Coder-7B"), "qwen");
    assert.equal(fimFamilyFor("deepseek-coder:6.7b-base"), "deepseek");
    assert.equal(fimFamilyFor("bigcode/starcoder2-3b"), "starcoder");
    assert.equal(fimFamilyFor("codellama:7b-code"), "codellama");
    assert.equal(fimFamilyFor("codestral-latest"), "codestral");
    assert.equal(fimFamilyFor("qwen2.5-coder", "starcoder"), "starcoder");
    assert.equal(fimFamilyFor("some-unknown-model"), "qwen");
  });

  const golden: Record<string, [string, string]> = {
    qwen: [
      "<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>",
      "<|repo_name|>proj\n<|file_sep|>src/util.py\ndef helper(x): ...\n<|file_sep|>src/math.py\n<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>",
    ],
    deepseek: [
      "<｜fim▁begin｜>def add(a, b):\n    <｜fim▁hole｜>\n\nprint(add(1, 2))\n<｜fim▁end｜>",
      "<｜fim▁begin｜># Path: src/util.py\ndef helper(x): ...\n\n# Path: src/math.py\ndef add(a, b):\n    <｜fim▁hole｜>\n\nprint(add(1, 2))\n<｜fim▁end｜>",
    ],
    starcoder: [
      "<fim_prefix>def add(a, b):\n    <fim_suffix>\n\nprint(add(1, 2))\n<fim_middle>",
      "<repo_name>proj<file_sep>src/util.py\ndef helper(x): ...\n<file_sep><fim_prefix>src/math.py\ndef add(a, b):\n    <fim_suffix>\n\nprint(add(1, 2))\n<fim_middle>",
    ],
    codellama: [
      "<PRE> def add(a, b):\n     <SUF>\n\nprint(add(1, 2))\n <MID>",
      "<PRE> # Path: src/util.py\ndef helper(x): ...\n\n# Path: src/math.py\ndef add(a, b):\n     <SUF>\n\nprint(add(1, 2))\n <MID>",
    ],
    codestral: [
      "[SUFFIX]\n\nprint(add(1, 2))\n[PREFIX]def add(a, b):\n    ",
      "[SUFFIX]\n\nprint(add(1, 2))\n[PREFIX]# Path: src/util.py\ndef helper(x): ...\n\n# Path: src/math.py\ndef add(a, b):\n    ",
    ],
  };
  for (const [family, [plain, repo]] of Object.entries(golden)) {
    it(`renders ${family} with its own tokens, alone and with other files`, () => {
      const t = fimTemplateFor("x", family as never);
      const a = renderFim(base, "completions-template", t);
      const b = renderFim(withFiles, "completions-template", t);
      assert.equal(a.mode === "completions-template" && a.prompt, plain);
      assert.equal(b.mode === "completions-template" && b.prompt, repo);
      assert.ok(a.stop.length > 0);
    });
  }

  it("gives each family stop sequences that include its FIM tokens", () => {
    assert.ok(fimTemplateFor("qwen").stop.includes("<|fim_prefix|>"));
    assert.ok(fimTemplateFor("deepseek-coder").stop.includes("<｜fim▁begin｜>"));
    assert.ok(fimTemplateFor("starcoder2").stop.includes("<file_sep>"));
    assert.ok(fimTemplateFor("codellama").stop.includes("<EOT>"));
    assert.ok(fimTemplateFor("codestral").stop.includes("[PREFIX]"));
  });
});

describe("FIM modes", () => {
  const t = fimTemplateFor("qwen2.5-coder");

  it("sends prompt and suffix apart for completions-suffix, context as comment headers", () => {
    const p = renderFim(withFiles, "completions-suffix", t);
    assert.equal(p.mode, "completions-suffix");
    if (p.mode !== "completions-suffix") return;
    assert.equal(p.suffix, base.suffix);
    assert.equal(p.prompt, "# Path: src/util.py\ndef helper(x): ...\n\n# Path: src/math.py\ndef add(a, b):\n    ");
    assert.ok(!p.prompt.includes("<|fim"));
  });

  it("hands llama.cpp /infill the files as input_extra", () => {
    const p = renderFim(withFiles, "llamacpp-infill", t);
    assert.deepEqual(p.mode === "llamacpp-infill" && p.extra, [{ filename: "src/util.py", text: "def helper(x): ..." }]);
    assert.equal(p.mode === "llamacpp-infill" && p.prefix, base.prefix);
  });

  it("asks a chat model for the hole only", () => {
    const p = renderFim(withFiles, "chat", t);
    assert.equal(p.mode, "chat");
    if (p.mode !== "chat") return;
    const user = p.messages[1]!.content;
    assert.ok(user.includes(`def add(a, b):\n    ${HOLE}\n\nprint`));
    assert.ok(user.includes("src/util.py"));
    assert.equal(p.messages[0]!.role, "system");
    const single = renderFim({ ...base, multiline: false }, "chat", t);
    assert.ok(single.mode === "chat" && /single line/.test(single.messages[1]!.content));
  });

  it("builds the input from the context engine's cursor window and other chunks", () => {
    const ctx: ContextResult = {
      chunks: [
        { source: "target", filePath: "/w/a.ts", relativePath: "a.ts", text: "…", tokens: 1, elided: false },
        { source: "import", filePath: "/w/b.ts", relativePath: "b.ts", text: "export function b(): number", tokens: 5, elided: true },
        { source: "definition", filePath: "/w/a.ts", relativePath: "a.ts", text: "function c() {}", tokens: 4, elided: false },
      ],
      totalTokens: 10,
      cursor: { prefix: "let x = ", suffix: ";\n", startOffset: 0, endOffset: 10 },
    };
    const input = fimInputFromContext(ctx, { prefix: "P", suffix: "S" }, { path: "a.ts", languageId: "typescript", lineComment: "//", repoName: "w", multiline: false });
    assert.equal(input.prefix, "let x = ");
    assert.equal(input.suffix, ";\n");
    // The most relevant file sits nearest the cursor.
    assert.deepEqual(input.files.map((f) => f.path), ["a.ts", "b.ts"]);
    assert.ok(!input.files.some((f) => f.text === "…"));
  });

  it("keys the cache on everything that shapes the answer", () => {
    const a = renderFim(base, "completions-template", t);
    const b = renderFim({ ...base, suffix: "other" }, "completions-template", t);
    assert.notEqual(fimCacheKey("m", a, 64), fimCacheKey("m", b, 64));
    assert.notEqual(fimCacheKey("m", a, 64), fimCacheKey("n", a, 64));
    assert.equal(fimCacheKey("m", a, 64), fimCacheKey("m", renderFim(base, "completions-template", t), 64));
  });
});

describe("FIM chat reply", () => {
  it("takes the inside of a fence and drops an echo of the line start", () => {
    assert.equal(extractFimChatReply("```python\nreturn a + b\n```", "def f():\n    "), "return a + b");
    assert.equal(extractFimChatReply("x = foo(1)", "x = "), "foo(1)");
    assert.equal(extractFimChatReply(`bar()${HOLE}`, "    "), "bar()");
  });
});
