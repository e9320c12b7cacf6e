import { cutSpecialTokens } from "../../../server/postprocess/completion/specialTokens.js";
import { goldenSuite } from "./golden.js";

goldenSuite("completion filter: cutSpecialTokens", cutSpecialTokens, [
  { name: "cuts at an end-of-text token", doc: "x = █", raw: "compute()<|endoftext|>garbage", expect: "compute()" },
  { name: "cuts at a file separator", doc: "x = █", raw: "a\nb<|file_sep|>src/other.ts\nmore", expect: "a\nb" },
  { name: "cuts at DeepSeek's full-width tokens", doc: "x = █", raw: "1<｜fim▁hole｜>2", expect: "1" },
  { name: "cuts at Codestral's tokens", doc: "x = █", raw: "y[SUFFIX]z", expect: "y" },
  { name: "keeps an HTML </s> tag", doc: "html = █", raw: "'<s>old</s>'", expect: "'<s>old</s>'" },
  { name: "keeps ordinary text", doc: "x = █", raw: "a < b && c > d", expect: "a < b && c > d" },
]);
