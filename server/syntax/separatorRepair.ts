import { lowerBound } from "../text/search.js";
import type { LanguageConventions } from "./types.js";

/**
 * Same-length repairs of the text a grammar is handed, for constructs that are valid code but that
 * the grammar cannot parse (grammars/<language>/conventions.json "separatorRepair"). The one known:
 * tree-sitter-typescript fails on a generic call signature that follows another interface member
 * with no `;` between them (tree-sitter/tree-sitter-typescript#335):
 *
 *     interface IObservableFactory {
 *         <T = any>(value: T[]): IObservableArray<T>
 *         <T = any>(value: Set<T>): ObservableSet<T>     ← read as `IObservableArray<T> < T …`
 *
 * and error recovery then drops the rest of the file (mobx's api/observable.ts and api/action.ts,
 * immer's types-external.ts: the interfaces and everything after them). The first character of
 * such a line's indentation is handed to the parser as the separator, so every offset, row and
 * column stays that of the document; only the parser sees the changed character.
 *
 * A line's repair depends on its own text and on the lines back to the previous significant one
 * (not blank, not a comment), so an edit can only change the repairs of the lines it touches and
 * of the first significant line after it: `linesToRescan` gives those.
 */

export interface SeparatorRepairRule {
  /** A line the separator belongs before (its first character must be indentation). */
  line: string;
  /** The end of the previous significant line when that line needs the separator. */
  previousEnd: string;
  /** Lines skipped when looking back for the previous significant line (blank lines, comments). */
  skip: string;
  /** The character handed to the parser in place of the line's first character. */
  separator: string;
}

export interface SeparatorRepair {
  readonly separator: string;
  /** Whether the line starting at `lineIndex`, as `lineText` reads lines, takes the separator. */
  wants(lineIndex: number, lineText: (line: number) => string): boolean;
  /** Whether a line is passed over when looking back (blank, a comment). */
  skips(text: string): boolean;
  /** The offsets of the lines of `text` that match the rule's `line` (before looking back). */
  candidates(text: string): number[];
}

/** How far back a line looks for the previous significant line (past a doc comment with an example). */
export const LOOK_BACK = 100;

const compiled = new WeakMap<LanguageConventions, SeparatorRepair | null>();

/** The language's repair, or undefined when it has none (or its rule does not compile). */
export function separatorRepairFor(conventions: LanguageConventions | undefined): SeparatorRepair | undefined {
  if (!conventions?.separatorRepair) return undefined;
  let r = compiled.get(conventions);
  if (r === undefined) {
    r = compile(conventions.separatorRepair);
    compiled.set(conventions, r);
  }
  return r ?? undefined;
}

function compile(rule: SeparatorRepairRule): SeparatorRepair | null {
  let line: RegExp, lines: RegExp, previousEnd: RegExp, skip: RegExp;
  try {
    line = new RegExp(rule.line);
    lines = new RegExp(rule.line, "gm");
    previousEnd = new RegExp(rule.previousEnd);
    skip = new RegExp(rule.skip);
  } catch {
    // NOTE: a broken rule only loses the repair, never the language.
    return null;
  }
  if (rule.separator.length !== 1) return null;
  return {
    separator: rule.separator,
    skips: (text) => skip.test(text),
    candidates: (text) => [...text.matchAll(lines)].map((m) => m.index),
    wants(lineIndex, lineText) {
      const text = lineText(lineIndex);
      if (!/^[ \t]/.test(text) || !line.test(text)) return false;
      for (let l = lineIndex - 1; l >= Math.max(0, lineIndex - LOOK_BACK); l--) {
        const prev = lineText(l);
        if (skip.test(prev)) continue;
        return previousEnd.test(prev);
      }
      return false;
    },
  };
}

/** The repaired offsets (sorted) of a whole text. */
export function repairedOffsetsOf(repair: SeparatorRepair, text: string, lineOf: (offset: number) => number, lineText: (line: number) => string): number[] {
  return repair.candidates(text).filter((at) => repair.wants(lineOf(at), lineText));
}

/**
 * The lines an edit can change the repairs of, as [first, last]: from the edit's first line to the
 * first significant line after its last (whose previous significant line the edit may have changed).
 */
export function linesToRescan(repair: SeparatorRepair, firstLine: number, lastLine: number, lineCount: number, lineText: (line: number) => string): [number, number] {
  let last = lastLine;
  while (last + 1 < lineCount && last < lastLine + LOOK_BACK) {
    last++;
    if (!repair.skips(lineText(last))) break;
  }
  return [firstLine, last];
}

/** `chunk` (the text from `at`) with the repaired offsets inside it replaced by the separator. */
export function applyRepairs(chunk: string, at: number, offsets: readonly number[], separator: string): string {
  let i = lowerBound(offsets, at);
  if (i >= offsets.length || offsets[i] >= at + chunk.length) return chunk;
  let out = "";
  let from = 0;
  for (; i < offsets.length && offsets[i] < at + chunk.length; i++) {
    const k = offsets[i] - at;
    out += chunk.slice(from, k) + separator;
    from = k + 1;
  }
  return out + chunk.slice(from);
}
