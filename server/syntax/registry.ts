import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { extname, basename, join } from "node:path";
import Parser from "tree-sitter";
import { packagePath } from "../paths.js";
import type { LanguageConventions } from "./types.js";

/**
 * The language registry: every folder under grammars/ that holds a conventions.json is a
 * language. Grammars and queries are loaded on first use and cached, so startup stays cheap and a
 * language that is never opened costs nothing.
 */

const require = createRequire(import.meta.url);

/** The query files a grammar folder may hold. */
export type QueryName = "definitions" | "imports" | "references" | "tests";

interface LanguageEntry {
  conventions: LanguageConventions;
  dir: string;
  grammar?: unknown | null;
  parser?: Parser | null;
  queries: Map<QueryName, Parser.Query | null>;
}

let registry: Map<string, LanguageEntry> | undefined;
let grammarsRoot: string | undefined;

/** Points the registry at another grammars folder (tests); resets every cache. */
export function setGrammarsDir(dir: string | undefined): void {
  grammarsRoot = dir;
  registry = undefined;
}

function entries(): Map<string, LanguageEntry> {
  if (registry) return registry;
  registry = new Map();
  const root = grammarsRoot ?? packagePath("grammars");
  if (!existsSync(root)) return registry;
  for (const name of readdirSync(root).sort()) {
    const file = join(root, name, "conventions.json");
    if (!existsSync(file)) continue;
    try {
      const conventions = JSON.parse(readFileSync(file, "utf8")) as LanguageConventions;
      conventions.id ??= name;
      registry.set(conventions.id, { conventions, dir: join(root, name), queries: new Map() });
    } catch {
      // NOTE: a broken conventions file disables that one language instead of the server.
      continue;
    }
  }
  return registry;
}

/** Every known language id (the grammar folder ids). */
export function knownLanguages(): string[] {
  return [...entries().keys()];
}

/**
 * Picks the language of a document: by LSP languageId first (clients differ: Neovim sends
 * "typescriptreact", Helix "tsx", an editor without filetype detection ""), then by file extension.
 */
export function languageFor(languageId: string | undefined, filePath?: string): string | undefined {
  const all = entries();
  const id = (languageId ?? "").trim().toLowerCase();
  if (id) {
    if (all.has(id)) return id;
    for (const [lang, e] of all) if (e.conventions.languageIds.some((l) => l.toLowerCase() === id)) return lang;
  }
  if (filePath) {
    const path = filePath.replace(/^file:\/\//, "");
    const lower = basename(path).toLowerCase();
    // The longest matching extension wins, so ".d.ts" could be told apart from ".ts" if needed.
    let best: { lang: string; len: number } | undefined;
    for (const [lang, e] of all) {
      for (const ext of e.conventions.extensions) {
        const x = ext.toLowerCase();
        if ((lower.endsWith(x) || lower === x.replace(/^\./, "")) && (!best || x.length > best.len)) best = { lang, len: x.length };
      }
    }
    if (best) return best.lang;
    if (extname(lower) === "" && lower) return undefined;
  }
  return undefined;
}

/** The conventions of a language, or undefined for plain text / unknown ids. */
export function conventionsFor(language: string | undefined): LanguageConventions | undefined {
  return language ? entries().get(language)?.conventions : undefined;
}

/** A parser set to the language's grammar, or undefined when the grammar cannot be loaded. */
export function parserFor(language: string | undefined): Parser | undefined {
  const e = language ? entries().get(language) : undefined;
  if (!e) return undefined;
  if (e.parser !== undefined) return e.parser ?? undefined;
  e.parser = null;
  const grammar = grammarFor(e);
  if (!grammar) return undefined;
  try {
    const parser = new Parser();
    parser.setLanguage(grammar as Parser.Language);
    e.parser = parser;
  } catch {
    e.parser = null;
  }
  return e.parser ?? undefined;
}

function grammarFor(e: LanguageEntry): unknown | undefined {
  if (e.grammar !== undefined) return e.grammar ?? undefined;
  e.grammar = null;
  const pkg = e.conventions.grammarPackage ?? `tree-sitter-${e.conventions.id}`;
  try {
    const mod = require(pkg) as Record<string, unknown>;
    e.grammar = (e.conventions.grammarExport ? mod[e.conventions.grammarExport] : mod) ?? null;
  } catch {
    e.grammar = null;
  }
  return e.grammar ?? undefined;
}

/**
 * The queries a document of a language needs (its edits, then every context build on it), compiled
 * together on the first use of any of them. Why: the references query, compiled on its own at the
 * first completion, cost that completion ~8-15 ms (TypeScript); compiled in idle time after the
 * document trees were allocated, it raised bench:burst's peak RSS by ~2 MB (malloc heap).
 */
const COMPILED_TOGETHER: readonly QueryName[] = ["definitions", "imports", "references"];

/**
 * The compiled query `name` of a language, compiled once and cached. A missing file falls back to
 * the folder named by `inheritQueries`; a query that does not compile yields undefined (and the
 * feature that needs it returns nothing) rather than an exception.
 */
export function queryFor(language: string | undefined, name: QueryName): Parser.Query | undefined {
  const e = language ? entries().get(language) : undefined;
  if (!e) return undefined;
  if (!e.queries.has(name)) {
    for (const n of COMPILED_TOGETHER.includes(name) ? COMPILED_TOGETHER : [name]) if (!e.queries.has(n)) compileQuery(e, n);
  }
  return e.queries.get(name) ?? undefined;
}

function compileQuery(e: LanguageEntry, name: QueryName): void {
  e.queries.set(name, null);
  const source = querySource(e, name);
  const grammar = grammarFor(e);
  if (source === undefined || !grammar) return;
  try {
    e.queries.set(name, new Parser.Query(grammar as Parser.Language, source));
  } catch (err) {
    queryErrors.push(`${e.conventions.id}/${name}.scm: ${(err as Error).message}`);
  }
}

const captureNameCache = new Map<string, Set<string>>();

/** The capture names a language's query file uses (read from its source; the binding does not expose them). */
export function queryCaptureNames(language: string | undefined, name: QueryName): Set<string> {
  const e = language ? entries().get(language) : undefined;
  if (!e) return new Set();
  const key = `${e.conventions.id}/${name}`;
  let names = captureNameCache.get(key);
  if (!names) {
    // Comments start with ";" and may mention captures: drop them first.
    const source = (querySource(e, name) ?? "").replace(/;.*$/gm, "");
    names = new Set([...source.matchAll(/@([\w.]+)/g)].map((m) => m[1]));
    captureNameCache.set(key, names);
  }
  return names;
}

/** Errors met while compiling queries (tests assert this stays empty). */
export const queryErrors: string[] = [];

function querySource(e: LanguageEntry, name: QueryName): string | undefined {
  const own = join(e.dir, `${name}.scm`);
  if (existsSync(own)) return readFileSync(own, "utf8");
  const parent = e.conventions.inheritQueries ? entries().get(e.conventions.inheritQueries) : undefined;
  if (parent) return querySource(parent, name);
  return undefined;
}
