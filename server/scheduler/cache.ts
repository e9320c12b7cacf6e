import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";

/**
 * The completion result cache: raw model text keyed by a hash of the normalised context, bounded
 * both in entries and in memory so a long session cannot grow it without limit.
 */

export interface ResultCacheLimits {
  maxEntries: number;
  /** Upper bound on the memory held by cached texts, in bytes (UTF-16: two bytes per code unit). */
  maxBytes: number;
}

const DEFAULT_LIMITS: ResultCacheLimits = { maxEntries: 256, maxBytes: 2 * 1024 * 1024 };

/**
 * Normalises a context key so differences that cannot change the answer do not miss the cache:
 * line endings and trailing blanks at the ends of lines. The key is hashed, so a long prompt
 * costs 64 bytes in the cache, not its length.
 */
export function normaliseKey(key: string): string {
  const text = key.replace(/\r\n?/g, "\n").replace(/[ \t]+\n/g, "\n");
  return createHash("sha256").update(text).digest("hex");
}

/** An LRU of raw completions keyed by normalised context. */
export class ResultCache {
  private readonly lru: LRUCache<string, string>;
  /** The last key normalised, and its hash (see hashOf). */
  private last: { key: string; hash: string } | undefined;

  constructor(limits: Partial<ResultCacheLimits> = {}) {
    const { maxEntries, maxBytes } = { ...DEFAULT_LIMITS, ...limits };
    this.lru = new LRUCache<string, string>({
      max: Math.max(1, maxEntries),
      maxSize: Math.max(1, maxBytes),
      // NOTE: the key is a 64-character hash; counting it keeps the bound honest for tiny texts.
      sizeCalculation: (value, key) => Math.max(1, 2 * (value.length + key.length)),
    });
  }

  /** The cached text for a context key, if any. */
  get(key: string): string | undefined {
    return this.lru.get(this.hashOf(key));
  }

  /** Whether a context key has a cached text (without refreshing its place in the LRU order). */
  has(key: string): boolean {
    return this.lru.has(this.hashOf(key));
  }

  /** Stores a text; texts larger than the whole memory bound are simply not kept. */
  set(key: string, text: string): void {
    this.lru.set(this.hashOf(key), text);
  }

  /**
   * The normalised key, remembered for the last key asked: a request asks for the same prompt up
   * to three times (has, get, set), and normalising means two passes and a hash over all of it.
   */
  private hashOf(key: string): string {
    if (this.last?.key !== key) this.last = { key, hash: normaliseKey(key) };
    return this.last.hash;
  }

  get size(): number {
    return this.lru.size;
  }

  /** Memory held by cached entries, in bytes as counted by the bound. */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  clear(): void {
    this.lru.clear();
  }
}
