/**
 * The context engine's working state for one request: the files it has looked at (FileView), the
 * candidates it has gathered (Candidate, addCandidate) and the cheap facts about a file every
 * source of candidates asks for (how often it uses a name, which `a.b` pairs it writes).
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { Definition, ImportRef, SyntaxDocument } from "../syntax/types.js";
import { isContainerKind, isInside, nestingOf } from "./render.js";
import type { UnitMode } from "./group.js";
import { analyzeText, conventionsOf, documentDefinitions, documentImports, languageOfPath, type ContextConventions } from "./syntax.js";
import type { GuessFeatures } from "./guessModel.js";
import { countTokens } from "./tokens.js";
import type { ChunkSource, ContextChunk, ContextRequest } from "./types.js";
import type { WorkspaceIndex } from "./workspace.js";

/** Rank of each source; a candidate's score is its source's rank times how sure the link is. */
export const SCORE = {
  signatureName: 0.97,
  containerOutline: 0.9,
  bodyName: 0.88,
  importedName: 0.85,
  symbolDefinition: 0.99,
  openDocument: 0.6,
  testExample: 0.8,
  secondOrder: 0.5,
};

/** One file as the engine sees it. */
export interface FileView {
  path: string;
  relativePath: string;
  language: string | undefined;
  text: string;
  definitions: Definition[];
  imports: ImportRef[];
  conventions: ContextConventions | undefined;
}

export interface Candidate {
  file: FileView;
  def: Definition;
  mode: UnitMode;
  score: number;
  source: ChunkSource;
  /** Guesses are capped to a share of the budget. */
  guess: boolean;
  /** Tie-breaker that keeps the order stable. */
  order: number;
  /** For guesses, the evidence their score came from. */
  features?: GuessFeatures;
}

export interface Session {
  request: ContextRequest;
  index: WorkspaceIndex | undefined;
  doc: FileView;
  openFiles: Map<string, SyntaxDocument>;
  candidates: Map<string, Candidate>;
  order: number;
  folders: string[];
  /** Files already looked at in this request. */
  views: Map<string, FileView | undefined>;
  /** Guesses collected and not yet scored (addGuess, settleGuesses). */
  pendingGuesses: Array<{ file: FileView; def: Definition; features: GuessFeatures; source: ChunkSource }>;
}

export function keyOf(file: FileView, def: Definition): string {
  return `${file.path}\u0000${def.span.startOffset}\u0000${def.span.endOffset}\u0000${def.name}`;
}

export function pathOfUri(uri: string): string {
  if (uri.startsWith("file:")) {
    try {
      return fileURLToPath(uri);
    } catch {
      return "";
    }
  }
  return "";
}

function relativeTo(folders: readonly string[], filePath: string): string {
  for (const f of folders) {
    const rel = path.relative(f, filePath);
    if (rel && !rel.startsWith("..") && !path.isAbsolute(rel)) return rel.split(path.sep).join("/");
  }
  return path.basename(filePath);
}

/** The view of a workspace file (open documents win over the disk), or undefined when unreadable. */
export function fileView(s: Session, filePath: string): FileView | undefined {
  if (filePath === s.doc.path) return s.doc;
  // One stat per file per request is enough.
  if (s.views.has(filePath)) return s.views.get(filePath);
  const view = loadView(s, filePath);
  s.views.set(filePath, view);
  return view;
}

function loadView(s: Session, filePath: string): FileView | undefined {
  const open = s.openFiles.get(filePath);
  if (open) {
    if (s.index && !s.index.isReadable(filePath)) return undefined;
    return viewOfDocument(open, filePath, s.folders);
  }
  if (!s.index) return undefined;
  const language = languageOfPath(filePath);
  if (!language) return undefined;
  const analysis = s.index.derive(filePath, "context-syntax", (text) => {
    const a = analyzeText(text, language);
    return { definitions: a.definitions, imports: a.imports, text };
  });
  if (!analysis) return undefined;
  const text = analysis.text;
  return {
    path: filePath,
    relativePath: relativeTo(s.folders, filePath),
    language,
    text,
    definitions: analysis.definitions,
    imports: analysis.imports,
    conventions: conventionsOf(language),
  };
}

export function viewOfDocument(doc: SyntaxDocument, filePath: string, folders: readonly string[]): FileView {
  const language = doc.language;
  return {
    path: filePath,
    relativePath: filePath ? relativeTo(folders, filePath) : doc.uri,
    language,
    text: doc.text,
    definitions: language ? documentDefinitions(doc) : [],
    imports: language ? documentImports(doc) : [],
    conventions: conventionsOf(language),
  };
}

export function addCandidate(s: Session, c: Omit<Candidate, "order">): void {
  const key = keyOf(c.file, c.def);
  const old = s.candidates.get(key);
  if (old) {
    // The strongest reason wins; "full" beats "elided" when either source wants the body.
    if (c.score > old.score) {
      old.score = c.score;
      old.source = c.source;
      old.guess = c.guess;
    }
    if (c.mode === "full") old.mode = "full";
    return;
  }
  s.candidates.set(key, { ...c, order: s.order++ });
}

/** Definitions nested in a function body are locals, not context. */
export function isLocal(def: Definition, all: readonly Definition[]): boolean {
  const n = nestingOf(all);
  if (!n.parent.has(def)) return all.some((o) => o.bodySpan && !isContainerKind(o) && isInside(def, o) && def.span.startOffset >= o.bodySpan.startOffset);
  for (let p = n.parent.get(def); p; p = n.parent.get(p)) {
    if (p.bodySpan && !isContainerKind(p) && def.span.startOffset >= p.bodySpan.startOffset) return true;
  }
  return false;
}

/** The innermost function or method whose body holds `offset`. */
export function innermostFunction(all: readonly Definition[], offset: number): Definition | undefined {
  let best: Definition | undefined;
  for (const d of all) {
    if (!d.bodySpan || isContainerKind(d) || offset < d.bodySpan.startOffset || offset > d.bodySpan.endOffset) continue;
    if (!best || isInside(d, best)) best = d;
  }
  return best;
}

/** The innermost container definition (class, impl…) holding `def`. */
export function containerOf(def: Definition, all: readonly Definition[]): Definition | undefined {
  const n = nestingOf(all);
  if (n.parent.has(def)) {
    for (let p = n.parent.get(def); p; p = n.parent.get(p)) if (isContainerKind(p)) return p;
    return undefined;
  }
  let best: Definition | undefined;
  for (const o of all) {
    if (isContainerKind(o) && isInside(def, o) && (!best || isInside(o, best))) best = o;
  }
  return best;
}

/**
 * An identifier, with the `#` of a TypeScript private name (`this.#clear()` uses `#clear`, the
 * name its definition has; without it every #private member counted as unused: bench:context at
 * 512, seeds 7 / 13 / 17, 0.873 / 0.855 / 0.850 → 0.875 / 0.862 / 0.860, refitted). In a language
 * where `#` starts a comment, a word written right after it is not counted as that word.
 */
export const IDENTIFIER = /#?[A-Za-z_$][A-Za-z0-9_$]*/g;

/** Identifiers of a text, in order of first appearance (for doc comments and signatures). */
export function identifiersOf(text: string): string[] {
  return [...new Set(text.match(IDENTIFIER) ?? [])];
}

/** Words of an identifier ("parseHttpURL" → parse, http, url), for name similarity. */
export function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2);
}

/**
 * A word without its common English suffix, doubled last consonant and final e or y (setter → set,
 * observable and observer → observ, subscribe and subscriber → subscrib, queries and query → quer).
 */
export function stemOf(word: string): string {
  const bare = /^(.{3,}?)(?:ations?|ings?|ers?|ed|ables?|ions?|ies|es|s|ors?|ments?|ity)$/.exec(word)?.[1] ?? word;
  return bare.replace(/([^aeiou])\1$/, "$1").replace(/(?<=...)[ey]$/, "");
}

const countsCache = new WeakMap<Definition[], Map<string, number>>();

/** `a.b` as written in code. */
export const DOTTED = /[A-Za-z_$][A-Za-z0-9_$]*\.[A-Za-z_$][A-Za-z0-9_$]*/g;

const memberUseCache = new WeakMap<Definition[], Set<string>>();

/** Every `a.b` written in a file, as "a.b" (for module-alias uses). */
export function memberUses(file: FileView): Set<string> {
  let uses = memberUseCache.get(file.definitions);
  if (!uses) {
    uses = new Set(file.text.match(DOTTED) ?? []);
    memberUseCache.set(file.definitions, uses);
  }
  return uses;
}

/** The names a file reaches as `x.name`, all of them and by receiver `x` (from memberUses). */
export interface MemberReach {
  names: Set<string>;
  byReceiver: Map<string, string[]>;
}

const memberReachCache = new WeakMap<Definition[], MemberReach>();

/** memberUses split at the dot, once per file version. */
export function memberReach(file: FileView): MemberReach {
  let reach = memberReachCache.get(file.definitions);
  if (!reach) {
    reach = { names: new Set(), byReceiver: new Map() };
    for (const use of memberUses(file)) {
      const dot = use.indexOf(".");
      const [receiver, name] = [use.slice(0, dot), use.slice(dot + 1)];
      reach.names.add(name);
      const list = reach.byReceiver.get(receiver);
      if (list) list.push(name);
      else reach.byReceiver.set(receiver, [name]);
    }
    memberReachCache.set(file.definitions, reach);
  }
  return reach;
}

/** identifierCounts without the occurrences inside `def` (a stub's doc and signature), counted the same way (usesIn). */
export function countsOutside(file: FileView, def: Definition): Map<string, number> {
  const freq = new Map(identifierCounts(file));
  const spans = [def.span];
  if (def.docSpan && (def.docSpan.endOffset <= def.span.startOffset || def.docSpan.startOffset >= def.span.endOffset)) spans.push(def.docSpan);
  for (const { startOffset, endOffset } of spans) for (const id of usesIn(file.text.slice(startOffset, endOffset))) freq.set(id, (freq.get(id) ?? 1) - 1);
  // The definition's own name is counted once more by the callers (they subtract its declaration).
  freq.set(def.name, (freq.get(def.name) ?? 0) + 1);
  return freq;
}

/**
 * The quoted module path of an import (`from '../scheduler/timeoutProvider'`, `require("./x")`):
 * not a use of the name it ends with, or `timeoutProvider` would count as used elsewhere in every
 * file that imports it from a module of its name.
 */
const MODULE_PATH = /\b(?:from|import|require\s*\()\s*(["'`])[^"'`\n]*\1/g;

/** The identifiers of a text that count as uses: every occurrence outside import paths. */
function usesIn(text: string): string[] {
  return text.replace(MODULE_PATH, "").match(IDENTIFIER) ?? [];
}

/** How often each identifier occurs in a file outside import paths (a cheap, language-agnostic usage count). */
export function identifierCounts(file: FileView): Map<string, number> {
  let freq = countsCache.get(file.definitions);
  if (!freq) {
    freq = new Map();
    for (const id of usesIn(file.text)) freq.set(id, (freq.get(id) ?? 0) + 1);
    countsCache.set(file.definitions, freq);
  }
  return freq;
}

export function textChunk(doc: FileView, source: ChunkSource, start: number, end: number): ContextChunk {
  const t = doc.text.slice(start, end);
  return {
    source,
    filePath: doc.path,
    relativePath: doc.relativePath,
    language: doc.language,
    text: t,
    tokens: countTokens(t),
    elided: false,
    startOffset: start,
    endOffset: end,
    ranges: [{ startOffset: start, endOffset: end }],
  };
}
