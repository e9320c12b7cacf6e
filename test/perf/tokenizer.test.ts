import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { bpeRanks, countTokens } from "../../server/context/tokens.js";

const require = createRequire(import.meta.url);

describe("perf: the tokenizer's ranks come from the .tiktoken file", () => {
  it("reads exactly the ranks gpt-tokenizer generated for cl100k_base", () => {
    const ours = bpeRanks(readFileSync(require.resolve("gpt-tokenizer/data/cl100k_base.tiktoken"), "utf8"));
    const theirs = (require("gpt-tokenizer/cjs/bpeRanks/cl100k_base") as { default: Array<string | number[]> }).default;
    assert.equal(ours.length, theirs.length);
    assert.deepEqual(ours, theirs);
  });

  it("counts like gpt-tokenizer's own cl100k_base encoding", () => {
    const reference = require("gpt-tokenizer/cjs/encoding/cl100k_base") as { countTokens(text: string, o?: object): number };
    const samples = [
      readFileSync(new URL("../../../server/context/tokens.ts", import.meta.url), "utf8"),
      "def f(x):\n    return x ** 2  # ünïcødé, 日本語, emoji 🎉\n",
      "<|endoftext|> is counted as text",
      "\t\t  \r\n\u0000\u00ff",
    ];
    for (const s of samples) assert.equal(countTokens(s), reference.countTokens(s, { disallowedSpecial: new Set() }), s.slice(0, 40));
  });
});
