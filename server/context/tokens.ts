import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";
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
 * NOTE: 6 MB of keys at most (was 16): in a long session the cache fills to its bound, and the
 * benchmark's warm build p95 moved only from 12 to 16 ms with a quarter of the old size.
 */
const counts = new LRUCache<string, number>({ max: 10000, maxSize: 6 * 1024 * 1024, sizeCalculation: (_v, k) => k.length * 2 + 16 });
/** Longer texts are rare and unlikely to repeat exactly; they are counted afresh. */
const MEMO_MAX_CHARS = 8192;

let encoding: Encoding | undefined;
// NOTE: special tokens such as "<|endoftext|>" appear in real code (tokenizer sources, tests);
// they are counted as ordinary text instead of throwing.
const NO_DISALLOWED = new Set<string>();

/** gpt-tokenizer's encoding factory (`GptEncoding.getEncodingApi`). */
interface GptEncodingModule {
  GptEncoding: { getEncodingApi(name: "cl100k_base", ranks: () => Array<string | number[]>): Encoding };
}

/**
 * Loads the BPE tables on first use. Loading takes ~100 ms, so it happens lazily (server startup
 * must stay fast) and synchronously, so that `countTokens` can stay synchronous.
 * NOTE: the ranks come from the package's `data/cl100k_base.tiktoken`, read with `bpeRanks`,
 * instead of its generated 1 MB JavaScript module (`cjs/encoding/cl100k_base`): compiling that
 * module left ~29 MB of resident memory behind, the text file ~18 MB (the burst benchmark's peak:
 * ~4 MB lower, 4 runs each). Same tokenizer, same counts (test/perf/tokenizer.test.ts); loading
 * takes ~50 ms longer, once, off the request path (warmUpTokenizer).
 */
function load(): Encoding {
  if (!encoding) {
    const require = createRequire(import.meta.url);
    // cl100k_base is the encoding of GPT-3.5/4 and close to what code models use; it loads
    // three times faster than o200k_base.
    const ranks = bpeRanks(readFileSync(require.resolve("gpt-tokenizer/data/cl100k_base.tiktoken"), "utf8"));
    const { GptEncoding } = require("gpt-tokenizer/cjs/GptEncoding") as GptEncodingModule;
    encoding = GptEncoding.getEncodingApi("cl100k_base", () => ranks);
    // A bigger merge cache than the default pays off: code repeats the same words all the time.
    // NOTE: bounded at 50,000 words (was 200,000, ~100 bytes each: up to 20 MB in a big workspace).
    encoding.setMergeCacheSize(50_000);
  }
  return encoding;
}

/**
 * The ranks of a `.tiktoken` file (one `base64-token rank` per line) in gpt-tokenizer's shape, as
 * its own generator writes them: index = rank, the token as a string when its bytes are UTF-8
 * that encodes back to the same bytes, else as the byte values; a missing rank is "".
 */
export function bpeRanks(tiktoken: string): Array<string | number[]> {
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const ranks: Array<string | number[]> = [];
  for (let start = 0; start < tiktoken.length; ) {
    let end = tiktoken.indexOf("\n", start);
    if (end < 0) end = tiktoken.length;
    const space = tiktoken.indexOf(" ", start);
    if (space > start && space < end) {
      const bytes = Buffer.from(tiktoken.slice(start, space), "base64");
      const rank = Number(tiktoken.slice(space + 1, end));
      while (ranks.length < rank) ranks.push("");
      // NOTE: isUtf8 first, so the fatal decoder never throws (exceptions are slow).
      let text = isUtf8(bytes) ? utf8.decode(bytes) : undefined;
      if (text !== undefined && Buffer.byteLength(text, "utf8") !== bytes.length) text = undefined;
      ranks.push(text ?? Array.from(bytes));
    }
    start = end + 1;
  }
  return ranks;
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
