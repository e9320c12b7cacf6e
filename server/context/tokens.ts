import { createRequire } from "node:module";
import { LRUCache } from "lru-cache";

/** The subset of gpt-tokenizer's encoding module that the engine uses. */
interface Encoding {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
  setMergeCacheSize(size: number): void;
}

/**
 * Counts of recent texts. The same definitions are rendered again on every request (and on
 * every keystroke's new document version), so most counts are hits; BPE is the engine's main cost.
 */
const counts = new LRUCache<string, number>({ max: 20000, maxSize: 16 * 1024 * 1024, sizeCalculation: (_v, k) => k.length * 2 + 16 });
/** Longer texts are rare and unlikely to repeat exactly; they are counted afresh. */
const MEMO_MAX_CHARS = 8192;

let encoding: Encoding | undefined;
// NOTE: special tokens such as "<|endoftext|>" appear in real code (tokenizer sources, tests);
// they are counted as ordinary text instead of throwing.
const NO_DISALLOWED = new Set<string>();

/**
 * Loads the BPE tables on first use. Loading takes ~100 ms, so it happens lazily (server startup
 * must stay fast) and synchronously through `require`, so that `countTokens` can stay synchronous.
 */
function load(): Encoding {
  if (!encoding) {
    const require = createRequire(import.meta.url);
    // cl100k_base is the encoding of GPT-3.5/4 and close to what code models use; it loads
    // three times faster than o200k_base.
    encoding = require("gpt-tokenizer/cjs/encoding/cl100k_base") as Encoding;
    // A bigger merge cache pays off: code repeats the same words all the time.
    encoding.setMergeCacheSize(200_000);
  }
  return encoding;
}

/** Counts the tokens of `text` with a real BPE tokenizer (cl100k_base). */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length > MEMO_MAX_CHARS) return load().countTokens(text, { disallowedSpecial: NO_DISALLOWED });
  let n = counts.get(text);
  if (n === undefined) {
    n = load().countTokens(text, { disallowedSpecial: NO_DISALLOWED });
    counts.set(text, n);
  }
  return n;
}

/** Loads the tokenizer ahead of the first request (call after `initialized`, off the hot path). */
export function warmUpTokenizer(): void {
  load();
}
