/**
 * The few syntax-layer calls the context engine makes, in one place. Files that are not open are
 * parsed with `parseText` and only their definitions and imports are kept (trees are not cached,
 * so the index stays small).
 */
import { LRUCache } from "lru-cache";
import * as syntax from "../syntax/index.js";
import type { Definition, ImportRef, LanguageConventions, Reference, SyntaxDocument, TestCase } from "../syntax/types.js";

/** What the engine keeps about a file that is not open. */
export interface FileSyntax {
  language: string;
  definitions: Definition[];
  imports: ImportRef[];
}

/** Conventions plus the fields the context engine adds to conventions.json. */
export type ContextConventions = LanguageConventions & {
  /** How this language's imports name files (see resolve.ts). */
  moduleResolution?: string;
};

/** The grammar id for a file path, or undefined for plain text. */
export function languageOfPath(filePath: string): string | undefined {
  // The answer depends on the file name's ending only; workspace files share a handful of them.
  const base = filePath.slice(Math.max(filePath.lastIndexOf("/"), filePath.lastIndexOf("\\")) + 1);
  const dot = base.indexOf(".");
  const key = dot >= 0 ? base.slice(dot) : base;
  if (languageByEnding.has(key)) return languageByEnding.get(key);
  const language = syntax.languageFor(undefined, filePath);
  if (languageByEnding.size > 1000) languageByEnding.clear();
  languageByEnding.set(key, language);
  return language;
}

const languageByEnding = new Map<string, string | undefined>();

/**
 * A regular expression conventions.json gives as a string (`implicitNames`, `denseModifiers`),
 * compiled once.
 */
export function conventionPattern(source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined;
  let re = patterns.get(source);
  if (!re) patterns.set(source, (re = new RegExp(source)));
  return re;
}

const patterns = new Map<string, RegExp>();

/** The conventions of a language, when it has a grammar folder. */
export function conventionsOf(language: string | undefined): ContextConventions | undefined {
  return language ? (syntax.conventionsFor(language) as ContextConventions | undefined) : undefined;
}

/** Definitions, imports (and, on demand, test cases) of a file's text. */
export function analyzeText(text: string, language: string): FileSyntax & { testCases(): TestCase[] } {
  const parsed = syntax.parseText(text, language);
  return {
    language,
    definitions: syntax.definitions(parsed),
    imports: syntax.imports(parsed),
    testCases: () => syntax.testCases(parsed),
  };
}

/** Definitions of an open document. */
export function documentDefinitions(doc: SyntaxDocument): Definition[] {
  return syntax.definitions(doc);
}

/** Imports of an open document. */
export function documentImports(doc: SyntaxDocument): ImportRef[] {
  return syntax.imports(doc);
}

/** Identifiers and member accesses used in a range of an open document. */
export function documentReferences(doc: SyntaxDocument, start: number, end: number): Reference[] {
  return syntax.references(doc, start, end);
}

const parseVerdicts = new LRUCache<string, boolean>({ max: 5000 });

/** Whether a rendered chunk parses on its own (memoised: the same chunks recur across requests). */
export function parsesCleanly(text: string, language: string | undefined): boolean {
  if (!language) return true;
  const key = `${language}\u0000${text}`;
  let ok = parseVerdicts.get(key);
  if (ok === undefined) {
    ok = syntax.parseErrors(text, language).length === 0;
    parseVerdicts.set(key, ok);
  }
  return ok;
}
