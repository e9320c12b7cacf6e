/**
 * The context engine: gathers candidate definitions for a target from ranked sources, then packs
 * the best ones under the token budget, greedily by rank, rendering each file's picks as whole
 * syntactic units (bodies elided where a signature is enough).
 *
 * Ranks, highest first (see `SCORE`): the target itself; names its signature, doc comment and
 * code refer to; the enclosing class outline; imported definitions those names resolve to; other
 * open documents; and, for a body still to be written, educated guesses weighed by a fitted model
 * (guessModel.ts: how the rest of the file uses a name, orphan imports, nearness, look-alike
 * functions…, and how many rivals of its kind a guess has), where what a stub's signature names
 * is evidence too. Guesses are packed by probability per token and stop below a floor, so a target
 * that needs nothing from elsewhere gets a small context. Packing prices units alone; the groups
 * are then rendered for real, trimmed to the budget, and what is left goes to the next guesses
 * (refill), then to showing the likeliest richer (showRicher).
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { Definition, ImportRef, SyntaxDocument } from "../syntax/types.js";
import { cursorWindow } from "./cursor.js";
import { isContainerKind, isInside, isValueKind, membersOf, nestingOf, type ShownRange } from "./render.js";
import { afterTypeParameters, docExamples, renderGroup, typeArgumentLists, valueElided, type UnitMode } from "./group.js";
import { filesOf, implicitNeighbours, resolveImport, type ModuleResolution, type ResolvedImport } from "./resolve.js";
import { analyzeText, parsesCleanly, conventionPattern, conventionsOf, documentDefinitions, documentImports, documentReferences, languageOfPath, type ContextConventions } from "./syntax.js";
import { guessProbability, noFeatures, type GuessFeatures } from "./guessModel.js";
import { findTests } from "./tests.js";
import { countTokens } from "./tokens.js";
import type { ChunkSource, ContextChunk, ContextRequest, ContextResult } from "./types.js";
import { workspaceIndexFor, type WorkspaceIndex } from "./workspace.js";

/** Rank of each source; a candidate's score is its source's rank times how sure the link is. */
const SCORE = {
  signatureName: 0.97,
  containerOutline: 0.9,
  bodyName: 0.88,
  importedName: 0.85,
  symbolDefinition: 0.99,
  openDocument: 0.6,
  testExample: 0.8,
  secondOrder: 0.5,
};
/**
 * Guesses worth less than this (guessWorth: probability per cost) are never shown: the context
 * stops there rather than fill the budget. (A cap of 80 % of the budget on guesses measured 0.718
 * recall at 512 tokens against 0.734 without it.) The floor trades recall at large budgets for
 * precision at the builder's size. It was on the probability alone (0.005), which kept a cheap
 * constant out and let a long class in; bench:context seeds 7 / 13 / 17, depth-5 trees: recall at
 * 2,048 tokens 0.959 / 0.931 / 0.947 that way, 0.971 / 0.937 / 0.956 on the worth at 0.003, token
 * precision at 6,000 0.290 / 0.271 / 0.273 → 0.270 / 0.252 / 0.254 (a probability floor of 0.003
 * recalls the same with 0.003-0.005 less precision; 0.0015 on the worth gains ~0.005 recall and
 * takes precision under 0.25).
 */
const MIN_WORTH = 0.003;
/** Share of the budget above which the target drops its doc comment. */
const TARGET_SHARE = 0.6;
/**
 * Share of the budget above which the target's doc comment drops its examples (rxjs' run to 150
 * tokens of usage, which tells the model less about the body than the definitions it crowds out).
 */
const EXAMPLES_SHARE = 0.25;
/**
 * Guesses are ranked by probability × (COST_UNIT / characters) ^ COST_EXPONENT, capped at 1: with
 * calibrated probabilities, probability per cost is the greedy order for the most hits per token
 * (exponents 0.7 and 1.3 measured within 0.006 of 1 at every budget).
 */
const COST_UNIT = 90;
const COST_EXPONENT = 1;
/** What a guess is worth per token: its probability × (COST_UNIT / characters) ^ COST_EXPONENT, capped at the probability. */
function guessWorth(c: Candidate): number {
  return c.score * Math.min(1, (COST_UNIT / modeChars(c)) ** COST_EXPONENT);
}
/**
 * Share of the budget a guessed class may take to show its members' signatures rather than its
 * header (its members are guesses of their own), up to CLASS_MAX_TOKENS. bench:context: 0.06 and
 * 0.015 recall the same, 0.015 with precision 0.184 instead of 0.165 at 2,048 tokens. Without the
 * cap the code actions' 6,000 tokens showed every member of classes up to 90 tokens, most of them
 * unused: the cap took precision there from 0.215 to 0.236 (seed 7; 0.193 → 0.211 on seed 13,
 * 0.221 → 0.245 on 17) for 0.001-0.005 recall, the members the body uses being guesses of their own.
 */
const CLASS_SHARE = 0.015;
const CLASS_MAX_TOKENS = 15;
/**
 * Share of the budget above which a definition the target names is shown in its densest form; for
 * a class, its header (its members' signatures are an outline too: rxjs' Observable took 294 of a
 * completion's 512 tokens that way; bench:context complete at 512 / 1024 / 2048, seed 7: 0.722 /
 * 0.844 / 0.913 → 0.791 / 0.878 / 0.933).
 */
const NAMED_SHARE = 0.15;
/**
 * Guesses at least this likely are shown richer when the budget has room left (showRicher), each
 * step adding at most RICHER_SHARE of the budget. bench:context at the code actions' 6,000 tokens:
 * precision 0.171 → 0.213 (0.204 at 0.3, 0.207 at 0.1), recall unchanged at every budget.
 * Classes shown whole when they fit the step (not only with their members' signatures): 0.236 → 0.239.
 * Steps up to 0.15 of the budget rather than 0.1 (a likely helper's body is worth more than most
 * guesses): precision in tokens at 6,000, seeds 7 / 13 / 17: 0.249 / 0.221 / 0.239 → 0.260 / 0.228 /
 * 0.243 (0.262 on seed 7 at 0.25), recall unchanged.
 */
const RICHER_GUESS = 0.2;
const RICHER_SHARE = 0.15;
/** Share of the budget the cursor window takes before definitions are packed. */
const CURSOR_SHARE = 0.5;

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

interface Candidate {
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

interface Session {
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

function keyOf(file: FileView, def: Definition): string {
  return `${file.path}\u0000${def.span.startOffset}\u0000${def.span.endOffset}\u0000${def.name}`;
}

function pathOfUri(uri: string): string {
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
function fileView(s: Session, filePath: string): FileView | undefined {
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

function viewOfDocument(doc: SyntaxDocument, filePath: string, folders: readonly string[]): FileView {
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

function addCandidate(s: Session, c: Omit<Candidate, "order">): void {
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
function isLocal(def: Definition, all: readonly Definition[]): boolean {
  const n = nestingOf(all);
  if (!n.parent.has(def)) return all.some((o) => o.bodySpan && !isContainerKind(o) && isInside(def, o) && def.span.startOffset >= o.bodySpan.startOffset);
  for (let p = n.parent.get(def); p; p = n.parent.get(p)) {
    if (p.bodySpan && !isContainerKind(p) && def.span.startOffset >= p.bodySpan.startOffset) return true;
  }
  return false;
}

/** The innermost function or method whose body holds `offset`. */
function innermostFunction(all: readonly Definition[], offset: number): Definition | undefined {
  let best: Definition | undefined;
  for (const d of all) {
    if (!d.bodySpan || isContainerKind(d) || offset < d.bodySpan.startOffset || offset > d.bodySpan.endOffset) continue;
    if (!best || isInside(d, best)) best = d;
  }
  return best;
}

/** The innermost container definition (class, impl…) holding `def`. */
function containerOf(def: Definition, all: readonly Definition[]): Definition | undefined {
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
const IDENTIFIER = /#?[A-Za-z_$][A-Za-z0-9_$]*/g;

/** Identifiers of a text, in order of first appearance (for doc comments and signatures). */
function identifiersOf(text: string): string[] {
  return [...new Set(text.match(IDENTIFIER) ?? [])];
}

/** Words of an identifier ("parseHttpURL" → parse, http, url), for name similarity. */
function wordsOf(name: string): string[] {
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
function stemOf(word: string): string {
  const bare = /^(.{3,}?)(?:ations?|ings?|ers?|ed|ables?|ions?|ies|es|s|ors?|ments?|ity)$/.exec(word)?.[1] ?? word;
  return bare.replace(/([^aeiou])\1$/, "$1").replace(/(?<=...)[ey]$/, "");
}

/** How many members a class has, as a feature: one of a few fields is likelier used than one of sixty. */
function memberCountFeature(n: number): number {
  return Math.min(1, Math.log(1 + n) / Math.log(128));
}

/** Builds the context for a request (see index.ts for the contract). */
export async function runEngine(request: ContextRequest): Promise<ContextResult> {
  request.signal?.throwIfAborted();
  const s = newSession(request);
  // One build stats each workspace path once (WorkspaceIndex.atOnce); it never awaits.
  return s.index ? s.index.atOnce(() => build(s)) : build(s);
}

function build(s: Session): ContextResult {
  const request = s.request;
  const budget = Math.max(0, Math.floor(request.budgetTokens));
  const { doc, index, openFiles } = s;
  const result: ContextResult = { chunks: [], totalTokens: 0 };
  if (budget === 0) return result;

  const target = request.target;
  const text = doc.text;
  // A document over maxFileBytes is never sent whole, whatever the budget: its cursor window gets
  // at most limit / 32 tokens (a token is a few bytes, so far below the limit).
  const limit = request.options?.maxFileBytes ?? 1024 * 1024;
  const windowCap = Buffer.byteLength(text, "utf8") > limit ? Math.floor(limit / 32) : Infinity;
  // The range whose names count as "referred to", and the definition the target is (if any).
  let targetDef: Definition | undefined;
  let refStart = 0;
  let refEnd = 0;
  let bodyUnknown = false;
  let fixedChunk: ContextChunk | undefined;

  if (target.kind === "stub" || target.kind === "function") {
    const given = target.kind === "stub" ? target.stub : target.definition;
    targetDef = doc.definitions.find((d) => d.span.startOffset === given.span.startOffset && d.name === given.name) ?? given;
    refStart = targetDef.span.startOffset;
    refEnd = targetDef.span.endOffset;
    bodyUnknown = target.kind === "stub";
  } else if (target.kind === "selection") {
    refStart = Math.max(0, Math.min(target.startOffset, text.length));
    refEnd = Math.max(refStart, Math.min(target.endOffset, text.length));
    fixedChunk = textChunk(doc, "target", refStart, refEnd);
  } else {
    const window = cursorWindow(doc, target.offset, Math.min(windowCap, Math.floor(budget * (target.kind === "cursor" ? CURSOR_SHARE : 0.15))));
    refStart = window.startOffset;
    refEnd = window.endOffset;
    fixedChunk = textChunk(doc, "target", window.startOffset, window.endOffset);
    if (target.kind === "cursor") result.cursor = window;
    bodyUnknown = target.kind === "cursor";
  }

  const enclosing = targetDef ? containerOf(targetDef, doc.definitions) : undefined;
  if (targetDef) addCandidate(s, { file: doc, def: targetDef, mode: "full", score: Infinity, source: "target", guess: false });
  // The enclosing class as an outline: its members one by one (nearest and most used first), so a
  // big class still shows what fits instead of nothing.
  // (For a body still to be written they are ranked with the guesses, by what predicts use.)
  if (enclosing && targetDef && !bodyUnknown) {
    const members = membersOf(enclosing, doc.definitions).filter((m) => m !== targetDef);
    const freq = identifierCounts(doc);
    const targetAt = targetDef.span.startOffset;
    const ranked = [...members].sort((a, b) => Math.abs(a.span.startOffset - targetAt) - Math.abs(b.span.startOffset - targetAt) || a.span.startOffset - b.span.startOffset);
    ranked.forEach((m, i) => {
      const uses = Math.max(0, (freq.get(m.name) ?? 1) - 1);
      const near = 1 / (1 + i / 8);
      const score = SCORE.containerOutline * 0.7 * (0.55 + 0.25 * near + 0.2 * Math.min(uses, 4) / 4);
      addCandidate(s, { file: doc, def: m, mode: m.bodySpan ? "signature" : "full", score, source: "outline", guess: false });
    });
  }

  // Names the target refers to: the syntax layer's references in its range, plus the words of
  // its doc comment (which names types and helpers in prose).
  const refs = doc.language ? documentReferences(request.document, refStart, refEnd) : [];
  const signatureEnd = targetDef?.bodySpan?.startOffset ?? refEnd;
  const names = new Map<string, number>();
  const objectNames = new Map<string, Set<string>>();
  for (const r of refs) {
    const inSignature = r.span.startOffset < signatureEnd && !(targetDef?.docSpan && r.span.startOffset >= targetDef.docSpan.startOffset && r.span.endOffset <= targetDef.docSpan.endOffset && targetDef.bodySpan && targetDef.docSpan.startOffset > targetDef.bodySpan.startOffset);
    const score = targetDef && inSignature ? SCORE.signatureName : SCORE.bodyName;
    names.set(r.name, Math.max(names.get(r.name) ?? 0, score));
    if (r.object) {
      if (!objectNames.has(r.object)) objectNames.set(r.object, new Set());
      objectNames.get(r.object)!.add(r.name);
    }
  }
  if (targetDef?.doc) for (const id of identifiersOf(targetDef.doc)) if (!names.has(id)) names.set(id, SCORE.signatureName * 0.9);
  if (targetDef) names.delete(targetDef.name);

  if (target.kind === "symbol") {
    names.set(target.name, SCORE.symbolDefinition);
  }

  // Same-file definitions by name. A member of another class counts only when the code reaches
  // it through an object (`x.name`): a parameter called `name` is not `Handler.name`.
  const topLevel = doc.definitions.filter((d) => !isLocal(d, doc.definitions));
  const byName = groupByName(topLevel);
  const memberNames = new Set([...objectNames.values()].flatMap((m) => [...m]));
  for (const [name, score] of names) {
    for (const def of byName.get(name) ?? []) {
      if (targetDef && (def === targetDef || isInside(def, targetDef))) continue;
      if (def.depth > 0 && !memberNames.has(name) && containerOf(def, doc.definitions) !== enclosing) continue;
      const mode: UnitMode = target.kind === "symbol" && name === target.name ? "full" : "elided";
      addCandidate(s, { file: doc, def, mode, score, source: "definition", guess: false });
    }
  }

  // Imports resolved to workspace files, as bindings: a local name bound to definitions (followed
  // through re-exporting "barrel" modules), or to a whole module (`import os`, `import * as x`).
  const resolved = index && doc.path ? resolveImports(s, doc) : [];
  const bindings = index && doc.path ? importBindings(s, resolved) : [];
  for (const b of bindings) {
    if (b.kind === "defs") {
      const score = names.get(b.name);
      if (score !== undefined) for (const { view, def } of b.defs) addCandidate(s, { file: view, def, mode: "elided", score: score * (SCORE.importedName / SCORE.bodyName), source: "import", guess: false });
    } else {
      // Namespace-style use: `alias.member`.
      for (const member of objectNames.get(b.name) ?? []) {
        for (const { view, def } of exportedDefs(s, b.module, member)) addCandidate(s, { file: view, def, mode: "elided", score: SCORE.importedName, source: "import", guess: false });
      }
    }
  }
  // Files a language sees without importing (the rest of a Go package).
  if (index && doc.path && doc.conventions?.moduleResolution) {
    for (const f of implicitNeighbours(doc.conventions.moduleResolution as ModuleResolution, doc.path, index)) {
      const view = fileView(s, f);
      if (!view) continue;
      const defs = groupByName(view.definitions.filter((d) => !isLocal(d, view.definitions)));
      for (const [name, score] of names) for (const def of defs.get(name) ?? []) addCandidate(s, { file: view, def, mode: "elided", score: score * 0.95, source: "import", guess: false });
    }
  }
  // Other open documents.
  for (const p of openFiles.keys()) {
    if (resolved.some((r) => filesOf(r).includes(p))) continue;
    const view = fileView(s, p);
    if (!view) continue;
    const defs = groupByName(view.definitions.filter((dd) => !isLocal(dd, view.definitions)));
    for (const [name, score] of names) for (const def of defs.get(name) ?? []) addCandidate(s, { file: view, def, mode: "elided", score: score * SCORE.openDocument, source: "open-document", guess: false });
  }

  // A body still to be written: guess what it will use.
  if (bodyUnknown) {
    if (target.kind === "cursor") {
      // Completing inside a function: guess from that function, as for a stub (its siblings, the
      // helpers look-alike functions use), without repeating it (the window shows it).
      const around = innermostFunction(doc.definitions, target.offset);
      addGuesses(s, around, around ? containerOf(around, doc.definitions) : undefined, bindings, target.offset);
    } else {
      const ev = addGuesses(s, targetDef, enclosing, bindings, refStart);
      weighNamed(s, ev);
    }
  }

  // "Add tests": where tests live, the framework, and existing tests as style examples.
  const testChunks: ContextChunk[] = [];
  if (target.kind === "function" && target.purpose === "tests" && doc.path) {
    const tests = findTests(doc, index, s.folders);
    if (tests.framework) result.testFramework = tests.framework;
    if (tests.file) result.testFile = tests.file;
    for (const ex of tests.examples) testChunks.push(ex);
  }

  // Second-order names: types and helpers named in the signatures of first-order picks.
  for (const c of [...s.candidates.values()]) {
    if (c.guess || c.score === Infinity || c.source === "outline") continue;
    const sig = c.def.signature ?? "";
    for (const id of identifiersOf(sig)) {
      if (id === c.def.name || names.has(id)) continue;
      for (const def of byName.get(id) ?? []) if (def !== targetDef) addCandidate(s, { file: doc, def, mode: "elided", score: c.score * SCORE.secondOrder, source: "definition", guess: false });
    }
  }

  request.signal?.throwIfAborted();
  const packed = pack(s, budget, fixedChunk, testChunks, result);
  if (target.kind === "cursor" && fixedChunk) widenCursorWindow(s.doc, target.offset, Math.min(budget, windowCap), fixedChunk, packed);
  return packed;
}

/**
 * Reads and analyses the workspace files a document imports (following re-exports), so the first
 * context built for it finds them in the workspace index instead of parsing them on the spot.
 */
export function warmContext(request: Pick<ContextRequest, "document" | "workspaceFolders" | "options">): void {
  const s = newSession({ ...request, target: { kind: "cursor", offset: 0 }, budgetTokens: 0 });
  if (!s.index || !s.doc.path || !s.doc.language) return;
  s.index.atOnce(() => warmImports(s));
}

function warmImports(s: Session): void {
  const bindings = importBindings(s, resolveImports(s, s.doc));
  // The look-alike files a stub or completion in this file will learn from (by the file's name,
  // and by the modules it imports).
  for (const f of analogFiles(s, new Set(wordsOf(path.basename(s.doc.path, path.extname(s.doc.path)))))) fileView(s, f);
  // How the files next to it use the modules they import: asked only about a module imported whole.
  if (bindings.some((b) => b.kind === "module")) folderMemberUses(s);
}

/** The state of one request: its document's view, the workspace index and the files read so far. */
function newSession(request: ContextRequest): Session {
  const folders = [...(request.workspaceFolders ?? [])];
  const scope = request.options?.contextScope ?? "workspace";
  const index = scope === "workspace" && folders.length
    ? workspaceIndexFor(folders, { exclude: request.options?.exclude, maxFileBytes: request.options?.maxFileBytes })
    : undefined;
  const docPath = pathOfUri(request.document.uri);
  const doc = viewOfDocument(request.document, docPath, folders);
  const openFiles = new Map<string, SyntaxDocument>();
  if (scope === "workspace") {
    for (const d of request.openDocuments ?? []) {
      const p = pathOfUri(d.uri);
      if (p && p !== docPath && d.language) openFiles.set(p, d);
    }
  }
  return { request, index, doc, openFiles, candidates: new Map(), order: 0, folders, views: new Map(), pendingGuesses: [] };
}

/**
 * Gives the cursor window whatever the definitions left of the budget: with nothing else to
 * show (plain text, a self-contained file), the model gets more of the file around the cursor.
 */
function widenCursorWindow(doc: FileView, offset: number, budget: number, window: ContextChunk, result: ContextResult): void {
  const index = result.chunks.indexOf(window);
  if (index < 0) return;
  const room = budget - (result.totalTokens - window.tokens);
  if (room <= window.tokens + 16) return;
  const wider = cursorWindow(doc, offset, room);
  const chunk = textChunk(doc, "target", wider.startOffset, wider.endOffset);
  // Line counts are summed while growing; the joined text is checked once more.
  if (chunk.tokens > room || chunk.tokens <= window.tokens) return;
  result.chunks[index] = chunk;
  result.cursor = wider;
  result.totalTokens = result.totalTokens - window.tokens + chunk.tokens;
}

function groupByName(defs: readonly Definition[]): Map<string, Definition[]> {
  const m = new Map<string, Definition[]>();
  for (const d of defs) {
    if (!m.has(d.name)) m.set(d.name, []);
    m.get(d.name)!.push(d);
  }
  return m;
}

function resolveImports(s: Session, file: FileView): ResolvedImport[] {
  const style = file.conventions?.moduleResolution as ModuleResolution | undefined;
  if (!style || !s.index) return [];
  const out: ResolvedImport[] = [];
  for (const imp of file.imports) {
    const r = resolveImport(style, imp, file.path, s.index);
    if (filesOf(r).length) out.push(r);
  }
  return out;
}

/** A local name an import brings in. */
type Binding =
  | { kind: "defs"; name: string; defs: Array<{ view: FileView; def: Definition }> }
  | { kind: "module"; name: string; module: FileView };

/** The names the current file's imports bind, resolved to definitions or modules. */
function importBindings(s: Session, resolved: ResolvedImport[]): Binding[] {
  const out: Binding[] = [];
  for (const r of resolved) {
    // Python's `from pkg import sub` binds the module sub (resolve.ts).
    for (const [name, f] of Object.entries(r.submodules ?? {})) {
      const view = fileView(s, f);
      if (view) out.push({ kind: "module", name, module: view });
    }
    for (const f of r.files) {
      const view = fileView(s, f);
      if (!view) continue;
      for (const name of r.names) {
        const defs = exportedDefs(s, view, name);
        // A name that is no definition of the module binds the module itself (a namespace or
        // default import).
        if (defs.length) out.push({ kind: "defs", name, defs });
        else out.push({ kind: "module", name, module: view });
      }
      if (r.alias) out.push({ kind: "module", name: r.alias, module: view });
    }
  }
  return out;
}

const exportMemo = new WeakMap<Definition[], Map<string, string[]>>();
const resolvedMemo = new WeakMap<Definition[], ResolvedImport[]>();
/** How deep re-exports are followed (a barrel of barrels is common, deeper chains are not). */
const REEXPORT_DEPTH = 3;

/**
 * Top-level definitions named `name` that a module provides: its own, or those it re-exports
 * (`export * from "./x"`, `export { name } from "./x"`), followed a few levels deep.
 */
function exportedDefs(s: Session, view: FileView, name: string): Array<{ view: FileView; def: Definition }> {
  const out: Array<{ view: FileView; def: Definition }> = [];
  for (const p of exportingFiles(s, view, name, 0)) {
    const v = p === view.path ? view : fileView(s, p);
    if (v) for (const def of v.definitions) if (def.depth === 0 && def.name === name) out.push({ view: v, def });
  }
  return out;
}

function exportingFiles(s: Session, view: FileView, name: string, depth: number): string[] {
  let memo = exportMemo.get(view.definitions);
  if (!memo) exportMemo.set(view.definitions, (memo = new Map()));
  const hit = memo.get(name);
  if (hit) return hit;
  let out: string[] = [];
  if (view.definitions.some((d) => d.depth === 0 && d.name === name)) out = [view.path];
  else if (depth < REEXPORT_DEPTH && s.index && view.path) {
    let resolved = resolvedMemo.get(view.definitions);
    if (!resolved) resolvedMemo.set(view.definitions, (resolved = resolveImports(s, view)));
    for (const r of resolved) {
      // Only statements that name it, or bring in everything (`export *`); a module bound to an
      // alias (`import os`) re-exports nothing.
      if (r.import.names.length ? !r.import.names.includes(name) : r.alias !== undefined) continue;
      for (const f of r.files) {
        const v = f === view.path ? undefined : fileView(s, f);
        if (!v) continue;
        const found = exportingFiles(s, v, name, depth + 1);
        if (found.length) {
          out = found;
          break;
        }
      }
      if (out.length) break;
    }
  }
  memo.set(name, out);
  return out;
}

const countsCache = new WeakMap<Definition[], Map<string, number>>();
/** `a.b` as written in code. */
const DOTTED = /[A-Za-z_$][A-Za-z0-9_$]*\.[A-Za-z_$][A-Za-z0-9_$]*/g;
const memberUseCache = new WeakMap<Definition[], Set<string>>();

/** Every `a.b` written in a file, as "a.b" (for module-alias uses). */
function memberUses(file: FileView): Set<string> {
  let uses = memberUseCache.get(file.definitions);
  if (!uses) {
    uses = new Set(file.text.match(DOTTED) ?? []);
    memberUseCache.set(file.definitions, uses);
  }
  return uses;
}

/** identifierCounts without the occurrences inside `def` (a stub's doc and signature). */
function countsOutside(file: FileView, def: Definition): Map<string, number> {
  const freq = new Map(identifierCounts(file));
  const spans = [def.span];
  if (def.docSpan && (def.docSpan.endOffset <= def.span.startOffset || def.docSpan.startOffset >= def.span.endOffset)) spans.push(def.docSpan);
  for (const { startOffset, endOffset } of spans) for (const id of file.text.slice(startOffset, endOffset).match(IDENTIFIER) ?? []) freq.set(id, (freq.get(id) ?? 1) - 1);
  // The definition's own name is counted once more by the callers (they subtract its declaration).
  freq.set(def.name, (freq.get(def.name) ?? 0) + 1);
  return freq;
}

/** How often each identifier occurs in a file (a cheap, language-agnostic usage count). */
function identifierCounts(file: FileView): Map<string, number> {
  let freq = countsCache.get(file.definitions);
  if (!freq) {
    freq = new Map();
    for (const id of file.text.match(IDENTIFIER) ?? []) freq.set(id, (freq.get(id) ?? 0) + 1);
    countsCache.set(file.definitions, freq);
  }
  return freq;
}

/**
 * Guesses for a body not yet written: definitions of the file and of its imports, ranked by how
 * the rest of the file uses them (a helper nobody else calls was probably written for this body),
 * how near they are, and the words they share with the target's name and doc.
 */
function addGuesses(s: Session, targetDef: Definition | undefined, enclosing: Definition | undefined, bindings: Binding[], at: number): Evidence {
  const doc = s.doc;
  const text = doc.text;
  const wantWords = new Set(wordsOf(`${targetDef?.name ?? ""} ${targetDef?.doc ?? ""} ${targetDef?.parameters ?? ""}`));
  const analog = analogUses(doc, targetDef, enclosing, at);
  // Uses in the rest of the file: a stub's own doc naming a helper is no use of it elsewhere. A
  // function being completed is not a stub: what its written part uses counts (bench:context
  // complete at 512 / 1024, seed 7: 0.750 / 0.874 counting outside it, 0.754 / 0.879 counting all).
  const freq = targetDef && s.request.target.kind !== "cursor" ? countsOutside(doc, targetDef) : identifierCounts(doc);
  const targetTypes = new Set(identifiersOf(`${targetDef?.parameters ?? ""} ${targetDef?.returnType ?? ""}`).filter((id) => id.length > 2));
  const analogs = analogViews(s, targetDef);
  const ev: Evidence = { wantWords, wantStems: new Set([...wantWords].map(stemOf)), doc, analog, freq, targetTypes, siblingAnalog: siblingFileAnalogs(analogs), namesake: namesakeUses(s, targetDef, enclosing, bindings, analogs), folderUses: lazily(() => folderMemberUses(s)), staticTypes: doc.conventions?.staticTypes ? 1 : 0, implicitNames: conventionPattern(doc.conventions?.implicitNames), rivals: new Map() };
  const maxDistance = Math.max(1, text.length);
  // Position among the file's top-level units, for "defined right next to the target".
  const level = doc.definitions.filter((d) => d.depth === (targetDef?.depth ?? 0));
  const unitIndex = new Map(level.map((d, i) => [d, i]));
  const targetUnit = targetDef ? (unitIndex.get(targetDef) ?? -1) : level.findIndex((d) => d.span.endOffset >= at);
  let siblings: Definition[] | undefined;
  for (const def of doc.definitions) {
    if (def === targetDef || (targetDef && isInside(def, targetDef)) || isLocal(def, doc.definitions)) continue;
    // Members of classes other than the target's are reached through their class.
    const container = containerOf(def, doc.definitions);
    if (container && container !== enclosing) continue;
    const f = featuresOf(def, ev, Math.max(0, (freq.get(def.name) ?? 1) - 1), doc);
    f.sameFile = 1;
    f.near = 1 - Math.abs(def.span.startOffset - at) / maxDistance;
    f.orphanHelper = f.unused && f.isCallable ? 1 : 0;
    f.before = def.span.endOffset <= at ? 1 : 0;
    const unit = unitIndex.get(def);
    f.adjacent = unit !== undefined && targetUnit >= 0 && Math.abs(unit - targetUnit) <= 3 ? 1 : 0;
    // Fields and sibling methods of the target's own class.
    if (enclosing && container === enclosing) {
      f.memberCount = memberCountFeature((siblings ??= membersOf(enclosing, doc.definitions)).length);
      if (def.bodySpan) f.siblingMethod = 1;
      else f.siblingField = 1;
    }
    addGuess(s, doc, def, f, "definition");
  }
  // Imported definitions the rest of the file uses, and members of imported classes whose names
  // the file mentions.
  const dotted = memberUses(doc);
  const guessImported = (view: FileView, def: Definition, named: boolean): void => {
    // A name imported but used nowhere else in the file was imported for the body being written.
    const f = featuresOf(def, ev, Math.max(0, (freq.get(def.name) ?? 1) - (named ? 1 : 0)), view);
    f.imported = 1;
    if (!named) f.unused = 0;
    f.orphanImport = f.unused;
    if (isContainerKind(def)) {
      // Any member may be what the body reaches through a local of that type; the model weighs
      // those the file never mentions (and a class imported for the body alone) on their own.
      // A union alias has no members of its own: a value of it (immer's `const state: ImmerState`)
      // offers those of the types it joins and of their bases.
      const holders = isUnionAlias(def) ? classesNamed(s, view, def.name, bindings) : [{ view, def }];
      for (const h of holders) guessMembers(s, h, ev, { classMember: 1, ofOrphanClass: f.orphanImport }, (m) => (freq.get(m.name) ?? 0) > 0);
    }
    addGuess(s, view, def, f, "import");
  };
  if (enclosing) addBaseMethod(s, targetDef, enclosing, bindings);
  addTypedMembers(s, targetDef, enclosing, bindings, ev);
  for (const b of bindings) {
    if (b.kind === "defs") {
      for (const { view, def } of b.defs) guessImported(view, def, true);
    } else {
      // A module imported for the body alone (`import copy` used nowhere else): any of its
      // top-level definitions may be what the body reaches as `copy.name`.
      const orphanModule = (freq.get(b.name) ?? 0) <= 1;
      let offered = 0;
      for (const def of b.module.definitions) {
        if (def.depth !== 0) continue;
        if (dotted.has(`${b.name}.${def.name}`)) guessImported(b.module, def, false);
        else if (orphanModule && offered++ < ORPHAN_MODULE_DEFS) {
          const f = featuresOf(def, ev, 0, b.module);
          f.imported = 1;
          f.ofOrphanModule = 1;
          addGuess(s, b.module, def, f, "import");
        } else if (!orphanModule) {
          // A module the file uses for other things (`codecs.Codec`): its other definitions are
          // guesses when something else points at them (`codecs.CodecInfo` in the look-alike
          // functions, `threading.Lock` in the files next to this one); offering all of them
          // would flood the ranking with `os` and `sys`.
          const f = featuresOf(def, ev, 0, b.module);
          if (!f.analog && !f.siblingAnalog && !f.shared && !ev.folderUses(`${b.name}.${def.name}`)) continue;
          f.imported = 1;
          f.moduleMember = 1;
          addGuess(s, b.module, def, f, "import");
        }
      }
    }
  }
  ev.rivals = settleGuesses(s);
  return ev;
}

/**
 * For a stub, the definitions its signature and doc name are evidence too, not certainties: a
 * type in the signature is often there for the caller, not the body. They are weighed by the same
 * model (with what named them as a feature) and shown in their richer form when chosen.
 */
function weighNamed(s: Session, ev: Evidence): void {
  for (const c of s.candidates.values()) {
    if (c.guess || c.score === Infinity || (c.source !== "definition" && c.source !== "import")) continue;
    const f = c.features ?? featuresOf(c.def, ev, Math.max(0, (ev.freq.get(c.def.name) ?? 1) - 1), c.file);
    f.named = c.score >= SCORE.signatureName * 0.95 ? 1 : 0.5;
    if (c.source === "import") f.imported = 1;
    else f.sameFile = 1;
    f.rivals = rivalsFeature(f, ev.rivals);
    c.features = f;
    c.score = guessProbability(f);
    c.guess = true;
  }
}

/** How many definitions of a module imported for the body alone are offered as guesses. */
const ORPHAN_MODULE_DEFS = 150;

/** What every guess is weighed with: the target's words, its analogues' names, the file's counts. */
interface Evidence {
  wantWords: Set<string>;
  analog: Map<string, number>;
  freq: Map<string, number>;
  /** Identifiers of the target's parameters and return type. */
  targetTypes: Set<string>;
  /** Stems (stemOf) of wantWords: `set` for a `setter_`, `observ` for an `observer`. */
  wantStems: Set<string>;
  /** The document the guesses are for. */
  doc: FileView;
  /** Names used by look-alike functions in look-alike files of the same folder. */
  siblingAnalog: Map<string, number>;
  /** Names used by functions of the target's name elsewhere (namesakeUses). */
  namesake: Map<string, number>;
  /** Whether a file of the document's folder writes `alias.name`. */
  folderUses: (pair: string) => boolean;
  /** 1 when the document's language declares types. */
  staticTypes: number;
  /** The names the document's language calls on its own (conventions.json `implicitNames`). */
  implicitNames: RegExp | undefined;
  /** How many guesses the request has of each kind (rivalryOf), once they are settled. */
  rivals: Map<string, number>;
}

/** The features every guess has, whatever reached it (see guessModel.ts). */
function featuresOf(def: Definition, ev: Evidence, uses: number, view: FileView): GuessFeatures {
  const f = noFeatures();
  f.uses = Math.min(uses, 6) / 6;
  f.unused = uses === 0 ? 1 : 0;
  const words = wordsOf(def.name);
  f.shared = Math.min(words.filter((w) => ev.wantWords.has(w)).length, 2) / 2;
  if (!f.shared) f.stemShared = words.some((w) => ev.wantStems.has(stemOf(w))) ? 1 : 0;
  // How much its own file leans on it (a class's `state` against its `isDisabled`), for units of other files.
  if (view !== ev.doc) f.homeUses = Math.min(1, Math.log(Math.max(1, identifierCounts(view).get(def.name) ?? 1)) / Math.log(64));
  f.analog = ev.analog.get(def.name) ?? 0;
  f.siblingAnalog = ev.siblingAnalog.get(def.name) ?? 0;
  f.namesake = ev.namesake.get(def.name) ?? 0;
  f.isType = isContainerKind(def) ? 1 : 0;
  f.isCallable = def.bodySpan && !isContainerKind(def) ? 1 : 0;
  f.isPrivate = def.name.startsWith("_") ? 1 : 0;
  f.isConstant = /^_*[A-Z][A-Z0-9_]+$/.test(def.name) ? 1 : 0;
  f.size = Math.min(1, Math.log(1 + charsWithoutValue(def)) / 8);
  f.fewUses = uses > 0 && uses <= 2 ? 1 : 0;
  f.staticTypes = ev.staticTypes;
  f.isImplicit = ev.implicitNames?.test(def.name) ? 1 : 0;
  if (ev.targetTypes.size && (def.parameters || def.returnType)) {
    const own = identifiersOf(`${def.parameters ?? ""} ${def.returnType ?? ""}`);
    f.sharedTypes = Math.min(2, own.filter((id) => ev.targetTypes.has(id)).length) / 2;
  }
  return f;
}

/**
 * Characters of a unit's declaration without its value, whatever form shows it: the guess model's
 * size feature, which the trees were fitted on. (As the cost of a guess, denseChars, it priced a
 * short constant below what showing it costs; as the feature, it measures the same: bench:context
 * at 512, seeds 7 / 13 / 17, 0.874 / 0.867 / 0.868 either way without a refit, and 0.873 / 0.865 /
 * 0.867 with denseChars as the feature.)
 */
function charsWithoutValue(def: Definition): number {
  const value = def.valueSpan ? def.valueSpan.endOffset - def.valueSpan.startOffset : 0;
  return Math.max(8, def.signature.length - value) + 12;
}

/**
 * Characters of a unit in its densest form (a class's header, a function's signature, a long
 * value elided as group.ts elides it).
 */
function denseChars(def: Definition, file: FileView): number {
  const marker = file.conventions?.elidedValue;
  const value = marker && valueElided(def, file.text, "signature") ? def.valueSpan!.endOffset - def.valueSpan!.startOffset - marker.length : 0;
  return Math.max(8, def.signature.length - value) + 12;
}

/** Characters of a candidate in the form it asks for (a class shown with its members costs more). */
function modeChars(c: Candidate): number {
  if (c.mode === "full") return c.def.span.endOffset - c.def.span.startOffset;
  if (c.mode === "elided" && isContainerKind(c.def)) return Math.min(c.def.span.endOffset - c.def.span.startOffset, c.def.signature.length + 40 * membersOf(c.def, c.file.definitions).length);
  const brackets = c.file.conventions?.typeArguments;
  // The densest forms leave type parameter and argument lists out (group.ts); the elided form keeps them.
  if (!brackets || (c.mode !== "signature" && c.mode !== "header")) return denseChars(c.def, c.file);
  let typeChars = typeCharsMemo.get(c.def);
  if (typeChars === undefined) {
    typeChars = typeArgumentLists(c.def.signature, 0, c.def.signature.length, brackets).reduce((n, [a, z]) => n + z - a, 0);
    typeCharsMemo.set(c.def, typeChars);
  }
  return Math.max(8, denseChars(c.def, c.file) - typeChars);
}

const typeCharsMemo = new WeakMap<Definition, number>();

/**
 * Adds the members of a class as guesses, each with the features every guess has plus `marks`;
 * `seen` says whether the file reaches a member (`.name`), and `only` narrows which are offered.
 */
function guessMembers(
  s: Session,
  cls: { view: FileView; def: Definition },
  ev: Evidence,
  marks: Partial<GuessFeatures>,
  seen: (m: Definition) => boolean,
  only: (m: Definition) => boolean = () => true,
): void {
  const members = membersOf(cls.def, cls.view.definitions);
  for (const m of members) {
    if (!only(m)) continue;
    const f = { ...featuresOf(m, ev, ev.freq.get(m.name) ?? 0, cls.view), ...marks };
    f.memberCount = memberCountFeature(members.length);
    f.unseenMember = seen(m) ? 0 : 1;
    addGuess(s, cls.view, m, f, cls.view === s.doc ? "definition" : "import");
  }
}

/**
 * Collects a guess; settleGuesses scores it by the fitted model once every guess of the request is
 * known (`rivals` counts them). `features` stay on it for `explain`.
 */
function addGuess(s: Session, file: FileView, def: Definition, features: GuessFeatures, source: ChunkSource): void {
  s.pendingGuesses.push({ file, def, features, source });
}

/**
 * The kind of guess a guess competes with: how many the request has of its kind is evidence of its
 * own (bench:context's seed-11 dump: an unused definition of the file is used 14 % of the time
 * when the file has 1 of them, 0.5 % when it has 64 or more).
 */
function rivalryOf(f: GuessFeatures): string {
  if (f.sameFile) return f.unused ? "unused" : "used";
  if (f.typedMember || f.calleeTypeMember) return "typed";
  if (f.classMember) return "member";
  if (f.ofOrphanModule || f.moduleMember) return "module";
  return "imported";
}

/** The `rivals` feature of a guess, from the request's count of each kind: log-scaled, 1 at 1,024. */
function rivalsFeature(f: GuessFeatures, counts: ReadonlyMap<string, number>): number {
  return Math.min(1, Math.log(Math.max(1, counts.get(rivalryOf(f)) ?? 1)) / Math.log(1024));
}

/** Scores the collected guesses (addGuess), each knowing how many rivals of its kind it has. */
function settleGuesses(s: Session): Map<string, number> {
  const kinds = new Map<string, Set<string>>();
  for (const g of s.pendingGuesses) {
    const kind = rivalryOf(g.features);
    if (!kinds.has(kind)) kinds.set(kind, new Set());
    kinds.get(kind)!.add(keyOf(g.file, g.def));
  }
  const counts = new Map([...kinds].map(([k, v]) => [k, v.size]));
  for (const { file, def, features, source } of s.pendingGuesses) {
    features.rivals = rivalsFeature(features, counts);
    addCandidate(s, { file, def, mode: guessMode(def), score: guessProbability(features), source, guess: true, features });
  }
  s.pendingGuesses = [];
  return counts;
}

/** The densest form of a guessed unit: a class's header, a function's signature, a field whole. */
function guessMode(def: Definition): UnitMode {
  return isContainerKind(def) ? "header" : "signature";
}

/** How many levels of base classes `addBaseClassMembers` climbs. */
const BASE_DEPTH = 2;

/**
 * The classes a class names in its header (`extends B`, `class C(B):`), resolved to container
 * definitions of this file or of its imports. Any identifier of the header that names a class
 * counts, so no language's inheritance syntax is spelled out here.
 */
function baseClasses(s: Session, view: FileView, cls: Definition, bindings: Binding[]): Array<{ view: FileView; def: Definition }> {
  const header = view.text.slice(cls.nameSpan.endOffset, cls.bodySpan?.startOffset ?? cls.nameSpan.endOffset);
  const out: Array<{ view: FileView; def: Definition }> = [];
  for (const id of identifiersOf(header)) {
    if (id === cls.name) continue;
    for (const d of view.definitions) if (d.depth === 0 && d.name === id && isContainerKind(d) && d !== cls) out.push({ view, def: d });
    if (view === s.doc) {
      for (const b of bindings) if (b.kind === "defs" && b.name === id) for (const x of b.defs) if (isContainerKind(x.def)) out.push(x);
    } else if (s.index && view.path) {
      for (const x of exportedDefsViaImports(s, view, id)) if (isContainerKind(x.def)) out.push(x);
    }
  }
  return out;
}

/** Definitions named `name` that one of `view`'s imports brings in. */
function exportedDefsViaImports(s: Session, view: FileView, name: string): Array<{ view: FileView; def: Definition }> {
  let resolved = resolvedMemo.get(view.definitions);
  if (!resolved) resolvedMemo.set(view.definitions, (resolved = resolveImports(s, view)));
  for (const r of resolved) {
    if (!r.names.includes(name)) continue;
    for (const f of r.files) {
      const v = fileView(s, f);
      if (!v) continue;
      const defs = exportedDefs(s, v, name);
      if (defs.length) return defs;
    }
  }
  return [];
}

/**
 * The base-class method a method overrides (a body often calls `super` or mirrors it), ranked
 * with the names the target refers to; base classes are followed a couple of levels up.
 */
function addBaseMethod(s: Session, targetDef: Definition | undefined, enclosing: Definition, bindings: Binding[]): void {
  let level: Array<{ view: FileView; def: Definition }> = [{ view: s.doc, def: enclosing }];
  const seen = new Set<Definition>([enclosing]);
  for (let depth = 0; depth < BASE_DEPTH && level.length; depth++) {
    const next: Array<{ view: FileView; def: Definition }> = [];
    for (const { view, def } of level) {
      for (const base of baseClasses(s, view, def, bindings)) {
        if (seen.has(base.def)) continue;
        seen.add(base.def);
        next.push(base);
        // Only the method the target overrides: other inherited members the file mentions were
        // measured to crowd out more than they bring (bench:context).
        if (!targetDef) continue;
        for (const m of membersOf(base.def, base.view.definitions)) {
          if (m.name !== targetDef.name) continue;
          addCandidate(s, { file: base.view, def: m, mode: m.bodySpan ? "signature" : "full", score: SCORE.bodyName * 0.9, source: base.view === s.doc ? "definition" : "import", guess: false });
        }
      }
    }
    level = next;
  }
}

/** A type alias without a body of its own (`type X = A | B`), which classesNamed follows. */
function isUnionAlias(def: Definition): boolean {
  return def.kind === "type" && !def.bodySpan;
}

/** How many types of a union alias `classesNamed` follows. */
const UNION_TYPES = 6;

/**
 * Container definitions a type name denotes in `view` (its own, or imported), with their bases;
 * for a union alias, the types it joins (one level: `aliases` is false when following one).
 */
function classesNamed(s: Session, view: FileView, name: string, bindings: Binding[], aliases = true): Array<{ view: FileView; def: Definition }> {
  const found: Array<{ view: FileView; def: Definition }> = [];
  for (const d of view.definitions) if (d.depth === 0 && d.name === name && isContainerKind(d)) found.push({ view, def: d });
  if (!found.length) {
    if (view === s.doc) {
      for (const b of bindings) if (b.kind === "defs" && b.name === name) for (const x of b.defs) if (isContainerKind(x.def)) found.push(x);
    } else if (s.index && view.path) {
      for (const x of exportedDefsViaImports(s, view, name)) if (isContainerKind(x.def)) found.push(x);
    }
  }
  // A union alias (immer's `type ImmerState = ProxyObjectState | … | SetState`) has no members
  // of its own: a value of it offers the members of the types it joins.
  if (aliases) {
    for (const a of [...found]) {
      if (!isUnionAlias(a.def)) continue;
      const eq = a.view.text.indexOf("=", afterTypeParameters(a.view.text, a.def.nameSpan.endOffset, a.def.span.endOffset));
      if (eq < 0 || eq >= a.def.span.endOffset) continue;
      for (const id of identifiersOf(a.view.text.slice(eq + 1, a.def.span.endOffset)).slice(0, UNION_TYPES)) {
        for (const x of classesNamed(s, a.view, id, bindings, false)) if (!found.some((f) => f.def === x.def)) found.push(x);
      }
    }
  }
  const out = [...found];
  let level = found;
  for (let depth = 0; depth < BASE_DEPTH && level.length; depth++) {
    const next: Array<{ view: FileView; def: Definition }> = [];
    for (const c of level) for (const b of baseClasses(s, c.view, c.def, bindings)) if (!out.some((o) => o.def === b.def)) next.push(b);
    out.push(...next);
    level = next;
  }
  return out;
}

/** How many types the members of a returned type take that `addCallbackTypeMembers` follows. */
const CALLBACK_TYPES = 4;

/** Members of the types that the members of `returned` (a type the body returns) take as parameters. */
function addCallbackTypeMembers(s: Session, returned: { view: FileView; def: Definition }, bindings: Binding[], seenTypes: Set<Definition>, ev: Evidence, properties: Set<string>): void {
  const limit = seenTypes.size + CALLBACK_TYPES;
  for (const m of membersOf(returned.def, returned.view.definitions)) {
    const sig = m.signature ?? "";
    const open = sig.indexOf("(");
    if (open >= 0) guessCallbackTypes(s, returned.view, sig.slice(open), bindings, seenTypes, limit, ev, properties);
  }
}

/**
 * Offers as guesses (calleeTypeMember) the members of the types `text` names, as `view` sees them:
 * objects a callback is handed. Types already in `seen` are skipped; stops once it holds `limit`.
 */
function guessCallbackTypes(s: Session, view: FileView, text: string, bindings: Binding[], seen: Set<Definition>, limit: number, ev: Evidence, properties: Set<string>): void {
  for (const id of identifiersOf(text)) {
    for (const c of classesNamed(s, view, id, bindings)) {
      if (seen.size >= limit) return;
      if (seen.has(c.def)) continue;
      seen.add(c.def);
      guessMembers(s, c, ev, { calleeTypeMember: 1 }, (m) => properties.has(m.name));
    }
  }
}

/** How many type names `addTypedMembers` follows (a signature rarely names more that matter). */
const TYPE_NAMES = 8;

/**
 * Members of the types a body works with, reached through a receiver: the types named by the
 * target's parameters and return type and by its class's fields (`query: Query` → the members of
 * Query the file accesses as `.name`), and the class of an imported value (`globalState.inBatch`,
 * where `globalState = new MobXGlobals()`): the member the file reaches through that value.
 */
function addTypedMembers(s: Session, targetDef: Definition | undefined, enclosing: Definition | undefined, bindings: Binding[], ev: Evidence): void {
  const { freq } = ev;
  const doc = s.doc;
  const properties = new Set<string>();
  for (const use of memberUses(doc)) properties.add(use.slice(use.indexOf(".") + 1));
  const typeText = [targetDef?.parameters ?? "", targetDef?.returnType ?? ""];
  if (enclosing) for (const m of membersOf(enclosing, doc.definitions)) if (!m.bodySpan && m !== targetDef) typeText.push(m.signature ?? "");
  const typeNames = identifiersOf(typeText.join(" ")).filter((id) => id !== enclosing?.name).slice(0, TYPE_NAMES * 4);
  let followed = 0;
  const returned = new Set(identifiersOf(targetDef?.returnType ?? ""));
  const seenTypes = new Set<Definition>();
  for (const name of typeNames) {
    if (followed >= TYPE_NAMES) break;
    const classes = classesNamed(s, doc, name, bindings);
    if (!classes.length) continue;
    followed++;
    for (const c of classes) {
      guessMembers(s, c, ev, { typedMember: 1 }, (m) => properties.has(m.name));
      // A type the body returns may be an object of callbacks (`QueryBehavior { onFetch(context:
      // FetchContext, …) }`): the types its members take are handed to the body's callbacks.
      if (returned.has(name)) addCallbackTypeMembers(s, c, bindings, seenTypes, ev, properties);
    }
  }
  // The types the imported functions take: a callback's parameter (`operate((source, subscriber)
  // => …)`) hands the body an object whose members it then calls. Imports the rest of the file
  // never uses come first (they were imported for this body).
  // A class's constructor counts as a function it takes arguments with (`new Observable((subscriber)
  // => …)` hands the body a Subscriber).
  const callable = (view: FileView, def: Definition): Definition | undefined =>
    isContainerKind(def) ? membersOf(def, view.definitions).find((m) => CONSTRUCTORS.has(m.name) && m.parameters) : def.bodySpan && def.parameters ? def : undefined;
  const callees = bindings
    .flatMap((b) => (b.kind === "defs" ? b.defs.map((x) => ({ view: x.view, def: callable(x.view, x.def), unused: (freq.get(b.name) ?? 1) <= 1 })) : []))
    .filter((x): x is { view: FileView; def: Definition; unused: boolean } => x.def !== undefined)
    .sort((a, b) => Number(b.unused) - Number(a.unused));
  for (const callee of callees) {
    if (seenTypes.size >= TYPE_NAMES) break;
    guessCallbackTypes(s, callee.view, callee.def.parameters!, bindings, seenTypes, TYPE_NAMES, ev, properties);
  }
  // Imported values used as receivers: `value.member` where the value is a variable whose
  // declaration names its class (an annotation or a `new C()` initializer).
  const dotted = memberUses(doc);
  for (const b of bindings) {
    if (b.kind !== "defs") continue;
    for (const { view, def } of b.defs) {
      if (def.bodySpan || isContainerKind(def)) continue;
      const wanted = [...properties].filter((p) => dotted.has(`${b.name}.${p}`));
      if (!wanted.length) continue;
      const declared = view.text.slice(def.nameSpan.endOffset, Math.min(def.span.endOffset, def.nameSpan.endOffset + 200));
      for (const id of identifiersOf(declared).slice(0, 4)) {
        for (const c of classesNamed(s, view, id, bindings)) {
          // Every member: the body may reach one the rest of the file never does (mobx's
          // `globalState.inBatch`); the model weighs those apart (unseenMember).
          guessMembers(s, c, ev, { typedMember: 1, imported: 1 }, (m) => wanted.includes(m.name));
        }
      }
    }
  }
}

/** The names a class's constructor has in the supported languages. */
const CONSTRUCTORS = new Set(["constructor", "__init__", "new"]);

/** How many files of the target's folder `siblingFileAnalogs` reads. */
const SIBLING_FILES = 5;

/**
 * Names that functions like the target in files like its own use: in a folder of one operator per
 * file (rxjs' windowToggle.ts next to windowWhen.ts and bufferToggle.ts), the look-alikes call
 * the same helpers and the same members. Files are chosen by the words their names share with the
 * target's file and name, and by the modules they import with it; each name gets a weight in [0, 1].
 */
function siblingFileAnalogs(analogs: AnalogViews | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!analogs) return out;
  const { want, views } = analogs;
  for (const view of views) {
    // Its functions that look like the target, or all of them in a small file.
    const fns = view.definitions.filter((d) => d.bodySpan && !isContainerKind(d) && !isLocal(d, view.definitions));
    const alike = fns.filter((d) => wordsOf(d.name).some((w) => want.has(w)));
    for (const d of (alike.length ? alike : fns.length <= 3 ? fns : []).slice(0, 4)) {
      const body = view.text.slice(d.bodySpan!.startOffset, d.bodySpan!.endOffset);
      for (const id of new Set(body.match(IDENTIFIER) ?? [])) out.set(id, Math.min(1, (out.get(id) ?? 0) + 0.34));
    }
  }
  return out;
}

/** The look-alike files of a target (analogFiles), read, and the words that chose them. */
interface AnalogViews {
  want: Set<string>;
  views: FileView[];
}

/** Reads the target's look-alike files once per request: the sibling analogues and the namesakes both learn from them. */
function analogViews(s: Session, targetDef: Definition | undefined): AnalogViews | undefined {
  if (!s.doc.path || !targetDef) return undefined;
  const want = new Set(wordsOf(`${path.basename(s.doc.path, path.extname(s.doc.path))} ${targetDef.name}`));
  const views: FileView[] = [];
  for (const file of analogFiles(s, want)) {
    const view = fileView(s, file);
    if (view) views.push(view);
  }
  return { want, views };
}

/** How many functions of the target's name `namesakeUses` reads. */
const NAMESAKES = 6;

/**
 * Names that functions of the target's own name use in other classes of its file, in the files it
 * imports and in its look-alike files: another class's `set` or `dispose` (mobx's ObservableValue
 * next to ComputedValue), a query's `fetch` next to a mutation's, does the same job on the same
 * kind of state and calls the same helpers. Each name gets a weight in [0, 1].
 */
function namesakeUses(s: Session, targetDef: Definition | undefined, enclosing: Definition | undefined, bindings: Binding[], analogs: AnalogViews | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!targetDef?.bodySpan || isContainerKind(targetDef)) return out;
  const views = new Set<FileView>([s.doc]);
  for (const b of bindings) {
    if (b.kind === "module") views.add(b.module);
    else for (const { view } of b.defs) views.add(view);
  }
  for (const view of analogs?.views ?? []) views.add(view);
  let read = 0;
  for (const view of views) {
    for (const d of view.definitions) {
      if (read >= NAMESAKES) return out;
      if (d === targetDef || d.name !== targetDef.name || !d.bodySpan || isContainerKind(d) || isLocal(d, view.definitions)) continue;
      // The target's own class: its other members are siblings, weighed apart (overloads share a name).
      if (view === s.doc && enclosing && containerOf(d, view.definitions) === enclosing) continue;
      read++;
      const body = view.text.slice(d.bodySpan.startOffset, d.bodySpan.endOffset);
      for (const id of new Set(body.match(IDENTIFIER) ?? [])) out.set(id, Math.min(1, (out.get(id) ?? 0) + 0.5));
    }
  }
  return out;
}

/** The files functions like the target are read from: look-alikes by name (`want`), then by imports. */
function analogFiles(s: Session, want: Set<string>): Set<string> {
  return new Set([...lookAlikeFiles(s, want), ...coImportingFiles(s)]);
}

/**
 * Shared imports that make a folder file a look-alike. bench:context recall at 512 tokens, seeds
 * 7 / 13 / 17: 0.855 / 0.820 / 0.837 without, 0.860 / 0.830 / 0.840 with 3 (2: the same on seed 7).
 */
const CO_IMPORTS = 3;

/** Module specifiers a file imports from (`from "./x.js"`, `from .x import`, `import x`), read without parsing. */
const IMPORT_SPEC = /\bfrom\s+['"]([^'"]+)['"]|^\s*from\s+([.\w]+)\s+import\b|^\s*import\s+([.\w]+)/gm;

/** The document's own import specifiers, per version (a completion asks on every burst of typing). */
const importSpecCache = new WeakMap<Definition[], Set<string>>();

function importSpecs(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(IMPORT_SPEC)) out.add(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/**
 * Files of the document's folder that import what it imports (CO_IMPORTS modules or more):
 * rxjs' operators each import `operate` and `createOperatorSubscriber`, and their bodies reach the
 * same subscriber members, whatever their names.
 */
function coImportingFiles(s: Session): string[] {
  if (!s.index) return [];
  let own = importSpecCache.get(s.doc.definitions);
  if (!own) importSpecCache.set(s.doc.definitions, (own = importSpecs(s.doc.text)));
  if (own.size < CO_IMPORTS) return [];
  return folderFiles(s)
    .map((file) => {
      const specs = s.index!.derive(file, "import-specs", importSpecs);
      let shared = 0;
      for (const x of specs ?? []) if (own.has(x)) shared++;
      return { file, shared };
    })
    .filter((x) => x.shared >= CO_IMPORTS)
    .sort((a, b) => b.shared - a.shared || (a.file < b.file ? -1 : 1))
    .slice(0, SIBLING_FILES)
    .map((x) => x.file);
}

/** A function that builds its answer on its first call: most requests never ask (no module imports). */
function lazily<A, R>(make: () => (a: A) => R): (a: A) => R {
  let f: ((a: A) => R) | undefined;
  return (a) => (f ??= make())(a);
}

/** How many files of the document's folder `folderMemberUses` reads. */
const FOLDER_FILES = 24;

/**
 * How the files next to the document use the modules they import: every `alias.name` written in
 * them. Files are read nearest by name first (look-alikes, then neighbours in the folder's sorted
 * listing); only the `a.b` pairs are kept per file. (How many files write one was measured as a
 * model feature: held-out log-loss 0.0807 with it, 0.0805 without.)
 */
function folderMemberUses(s: Session): (pair: string) => boolean {
  // Looked up in each file's set (kept per file version) rather than merged: a few hundred
  // lookups cost less than merging thousands of pairs on every request.
  const sets: Array<Set<string>> = [];
  for (const file of folderFiles(s)) {
    const uses = s.index!.derive(file, "member-uses", (text) => new Set(text.match(DOTTED) ?? []));
    if (uses?.size) sets.push(uses);
  }
  return (pair) => sets.some((u) => u.has(pair));
}

/** Up to FOLDER_FILES files of the document's folder with its extension, nearest by name first. */
function folderFiles(s: Session): string[] {
  if (!s.index || !s.doc.path) return [];
  const dir = path.dirname(s.doc.path);
  const ext = path.extname(s.doc.path);
  const own = path.basename(s.doc.path);
  const names = s.index.listDir(dir).filter((n) => n.endsWith(ext));
  const at = names.indexOf(own);
  // Neighbours in the sorted listing, alternating after and before the document.
  const near: string[] = [];
  for (let d = 1; near.length < FOLDER_FILES && (at + d < names.length || at - d >= 0); d++) {
    if (at + d < names.length) near.push(names[at + d]!);
    if (at - d >= 0) near.push(names[at - d]!);
  }
  const first = lookAlikeFiles(s, new Set(wordsOf(path.basename(own, ext))));
  return [...new Set([...first, ...near.filter((n) => n !== own).map((n) => path.join(dir, n))])].slice(0, FOLDER_FILES);
}

/** The files of the document's folder (same extension) whose names share the most of `want`'s words. */
function lookAlikeFiles(s: Session, want: Set<string>): string[] {
  if (!s.index || !s.doc.path || !want.size) return [];
  const dir = path.dirname(s.doc.path);
  const ext = path.extname(s.doc.path);
  const own = path.basename(s.doc.path);
  return s.index
    .listDir(dir)
    .filter((n) => n !== own && n.endsWith(ext))
    .map((n) => ({ n, shared: wordsOf(path.basename(n, ext)).filter((w) => want.has(w)).length + (sharedPrefix(n, own) >= 4 ? 1 : 0) }))
    .filter((x) => x.shared > 0)
    .sort((a, b) => b.shared - a.shared || (a.n < b.n ? -1 : 1))
    .slice(0, SIBLING_FILES)
    .map((x) => path.join(dir, x.n));
}

/** Characters two file names share at their start: numbered families (cp1256.py, cp1257.py) share no word. */
function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** How many analogous functions are read for `analogUses`. */
const ANALOGS = 4;

/**
 * Names that functions like the target use: the target's nearest siblings and the functions whose
 * names share the most words with it (get_dtext ~ get_qtext) tend to call the same helpers. Each
 * name gets a weight in [0, 1].
 */
function analogUses(doc: FileView, targetDef: Definition | undefined, enclosing: Definition | undefined, at: number): Map<string, number> {
  const out = new Map<string, number>();
  const want = new Set(wordsOf(`${targetDef?.name ?? ""} ${targetDef?.parameters ?? ""}`));
  const functions = doc.definitions.filter(
    (d) => d !== targetDef && d.bodySpan && !isContainerKind(d) && !isLocal(d, doc.definitions) && (!targetDef || !isInside(d, targetDef)) && containerOf(d, doc.definitions) === enclosing,
  );
  if (!functions.length) return out;
  const ranked = functions
    .map((d) => {
      const words = wordsOf(`${d.name} ${d.parameters ?? ""}`);
      const shared = words.filter((w) => want.has(w)).length;
      const sim = shared / Math.max(1, new Set([...words, ...want]).size);
      const dist = Math.abs(d.span.startOffset - at);
      return { d, sim, dist };
    })
    .sort((a, b) => b.sim - a.sim || a.dist - b.dist || a.d.span.startOffset - b.d.span.startOffset);
  // The most similar by name, then the nearest ones, so a target without look-alikes still learns
  // from its neighbours.
  const byDistance = [...ranked].sort((a, b) => a.dist - b.dist || a.d.span.startOffset - b.d.span.startOffset);
  const picked = [...new Set([...ranked.slice(0, ANALOGS).filter((r) => r.sim > 0), ...byDistance.slice(0, 2)])].slice(0, ANALOGS + 2);
  for (const { d, sim } of picked) {
    const weight = 0.5 + 0.5 * Math.min(1, sim * 2);
    const body = doc.text.slice(d.bodySpan!.startOffset, d.bodySpan!.endOffset);
    for (const id of new Set(body.match(IDENTIFIER) ?? [])) out.set(id, Math.min(1, (out.get(id) ?? 0) + weight / 2));
  }
  return out;
}

function textChunk(doc: FileView, source: ChunkSource, start: number, end: number): ContextChunk {
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

interface Group {
  file: FileView;
  top: Definition;
  units: Map<Definition, UnitMode>;
  best: Candidate;
}

/** Tokens of a unit rendered alone, cached per file version. */
function unitTokens(c: Candidate, mode: UnitMode): number {
  const rendered = renderGroup(c.file, c.def, new Map([[c.def, mode]]));
  return rendered.tokens;
}

/**
 * The outermost definition whose group renders `def`: a top-level class for a method, the variable
 * an object literal's method is written in (`const traps = { get(state, prop) {…} }`: the method
 * alone, `get(state, prop) { … }`, is no statement).
 */
function topOf(def: Definition, all: readonly Definition[]): Definition {
  const n = nestingOf(all);
  if (n.parent.has(def)) {
    let top = def;
    for (let p = n.parent.get(def); p; p = n.parent.get(p)) if (isContainerKind(p) || isValueKind(p)) top = p;
    return top;
  }
  let top = def;
  for (const o of all) if (isContainerKind(o) && isInside(def, o) && (top === def || isInside(top, o))) top = o;
  return top;
}

/**
 * Overloads of one guessed function (TypeScript's `pipe(): …; pipe<A>(op1): …;` …) share a name and
 * evidence, so they were picked together, each costing a signature that tells the model nothing
 * new. One stands for all: the first declared (what a reader meets first), ranked as the best of
 * them. `prio` is updated for the ones kept.
 */
function withoutOverloads(candidates: Candidate[], prio: Map<Candidate, number>): Candidate[] {
  const first = new Map<string, Candidate>();
  const best = new Map<string, number>();
  const keyOf = (c: Candidate): string | undefined => {
    if (!c.guess || isContainerKind(c.def)) return undefined;
    const parent = nestingOf(c.file.definitions).parent.get(c.def);
    return `${c.file.path}\0${parent?.span.startOffset ?? -1}\0${c.def.name}`;
  };
  // Overloads are declarations without a body next to the one with it; two bodies of one name
  // (a Python property and its setter, a def per platform) are different code and both stay.
  const overloaded = new Set<string>();
  for (const c of candidates) {
    const k = keyOf(c);
    if (k === undefined) continue;
    if (!c.def.bodySpan && (c.def.kind === "function" || c.def.kind === "method")) overloaded.add(k);
    const f = first.get(k);
    if (!f || c.def.span.startOffset < f.def.span.startOffset) first.set(k, c);
    best.set(k, Math.max(best.get(k) ?? 0, prio.get(c)!));
  }
  return candidates.filter((c) => {
    const k = keyOf(c);
    if (k === undefined || !overloaded.has(k)) return true;
    if (first.get(k) !== c) return false;
    prio.set(c, best.get(k)!);
    return true;
  });
}

/**
 * Greedy packing by score under the budget. Token counts of units are estimated alone, then the
 * groups are rendered for real and the lowest-ranked units dropped until the total fits.
 */
function pack(s: Session, budget: number, fixedChunk: ContextChunk | undefined, testChunks: ContextChunk[], result: ContextResult): ContextResult {
  // Guesses are weighed by what they cost: three cheap likely helpers beat one long class.
  const priority = (c: Candidate): number => (c.guess ? guessWorth(c) : c.score);
  const prio = new Map<Candidate, number>();
  for (const c of s.candidates.values()) prio.set(c, priority(c));
  const sorted = withoutOverloads([...s.candidates.values()], prio).sort((a, b) => prio.get(b)! - prio.get(a)! || a.order - b.order);
  let used = 0;
  const chunksFixed: ContextChunk[] = [];
  if (fixedChunk && fixedChunk.tokens <= budget) {
    chunksFixed.push(fixedChunk);
    used += fixedChunk.tokens;
  }
  const groups = new Map<string, Group>();
  const picked: Candidate[] = [];
  const pendingTests = [...testChunks];
  const HEADER = 4;
  for (const c of sorted) {
    // Below this the model says the body almost surely does without it: stop, rather than fill.
    if (c.guess && prio.get(c)! < MIN_WORTH) continue;
    // Style examples for tests rank just under the definitions the target names.
    while (pendingTests.length && c.score < SCORE.testExample && c.score !== Infinity) {
      const t = pendingTests.shift()!;
      if (used + t.tokens <= budget) {
        chunksFixed.push(t);
        used += t.tokens;
      }
    }
    // Already inside the cursor window: showing it again would only cost tokens.
    if (fixedChunk && c.file === s.doc && c.score !== Infinity && c.def.span.startOffset >= (fixedChunk.startOffset ?? 0) && c.def.span.endOffset <= (fixedChunk.endOffset ?? 0)) continue;
    const top = topOf(c.def, c.file.definitions);
    const gkey = `${c.file.path}\u0000${top.span.startOffset}`;
    const group = groups.get(gkey);
    // Already shown verbatim by a picked container, or in the same or a richer mode.
    if (group && coveredBy(group, c)) continue;
    if (budget - used < 3) break;
    // A guessed class shows its members' signatures when they are cheap next to the budget.
    const modes: UnitMode[] = (c.mode === "full" ? ["full", "elided", "signature"] : c.mode === "elided" ? ["elided", "signature"] : c.mode === "signature" ? ["signature"] : ["signature", "header"]) as UnitMode[];
    // The target's doc comment loses its examples before the rest of it (see EXAMPLES_SHARE).
    const trimmable = c.score === Infinity && c.mode === "full" && docExamples(c.def, c.file.text).length > 0;
    if (trimmable) modes.splice(1, 0, "trimmed");
    let fullCost = 0;
    // A class that does not fit with its members still shows its header.
    if (isContainerKind(c.def) && c.mode !== "header") modes.push("header");
    // NOTE: the target keeps its doc comment unless that alone would crowd out everything it
    // needs (rxjs JSDoc examples run to hundreds of tokens); it then shows its bare signature.
    const targetCap = c.score === Infinity ? budget * TARGET_SHARE : Infinity;
    let done = false;
    for (const mode of modes) {
      // The first unit of a group pays for the group's skeleton, measured for real: a class's
      // header, docstring and the comments between its members can cost far more than its
      // signature (distutils' CCompiler: 361 estimated, 1,661 rendered), and an underestimate
      // made the final fitting drop every other unit.
      const cost = group || top === c.def ? unitTokens(c, mode) : renderGroup(c.file, top, new Map([[c.def, mode]])).tokens + HEADER;
      if (mode === "full") fullCost = cost;
      if (used + cost > budget) continue;
      if (cost > targetCap && mode !== modes[modes.length - 1]) continue;
      if (trimmable && mode === "full" && cost > budget * EXAMPLES_SHARE) continue;
      // Only in place of the whole doc comment: a target too long for TARGET_SHARE shows its bare
      // signature, as before (bench:context: keeping the trimmed doc there cost 0.002-0.011 recall at 512).
      if (mode === "trimmed" && fullCost > targetCap) continue;
      if (c.mode === "header" && mode === "signature" && cost > Math.min(budget * CLASS_SHARE, CLASS_MAX_TOKENS)) continue;
      // A definition the target names shows its doc and members when they are cheap next to the
      // budget (rxjs' take is 331 tokens with its doc, 12 as a signature), a class its members'
      // signatures too.
      if (c.score !== Infinity && (mode === "elided" || (mode === "signature" && isContainerKind(c.def))) && cost > budget * NAMED_SHARE) continue;
      used += cost;
      if (group) {
        group.units.set(c.def, mode);
      } else {
        groups.set(gkey, { file: c.file, top, units: new Map([[c.def, mode]]), best: c });
      }
      picked.push(c);
      done = true;
      break;
    }
    if (!done && c.score === Infinity) {
      // The target itself does not fit even with its body elided: show its signature line only.
      // The target does not fit inside its class skeleton: show it alone in its bare form, or
      // at worst its signature line.
      const alone = renderGroup(c.file, c.def, new Map([[c.def, "signature" as UnitMode]])).text;
      const line = c.def.signature ?? c.file.text.slice(c.def.span.startOffset, c.def.bodySpan?.startOffset ?? c.def.span.endOffset);
      const sig = used + countTokens(alone) <= budget ? alone : line;
      const t = countTokens(sig);
      if (t <= budget) {
        chunksFixed.unshift({ source: "target", filePath: c.file.path, relativePath: c.file.relativePath, language: c.file.language, text: sig, tokens: t, symbol: c.def.name, elided: true, startOffset: c.def.span.startOffset, endOffset: c.def.bodySpan?.startOffset ?? c.def.span.endOffset, ranges: [{ startOffset: c.def.span.startOffset, endOffset: c.def.bodySpan?.startOffset ?? c.def.span.endOffset }] });
        used += t;
      }
    }
  }
  for (const t of pendingTests) {
    if (used + t.tokens <= budget) {
      chunksFixed.push(t);
      used += t.tokens;
    }
  }

  // Render groups for real; drop the lowest-ranked units until everything fits.
  const fixedTokens = chunksFixed.reduce((n, c) => n + c.tokens, 0);
  let rendered = [...groups.values()].map((g) => ({ g, chunk: groupChunk(g) }));
  let total = fixedTokens + rendered.reduce((n, r) => n + r.chunk.tokens, 0);
  while (total > budget && picked.length) {
    const victim = picked.filter((p) => p.score !== Infinity).pop();
    if (!victim) break;
    picked.splice(picked.indexOf(victim), 1);
    const entry = rendered.find((r) => r.g.units.has(victim.def) && r.g.file.path === victim.file.path);
    if (!entry) continue;
    entry.g.units.delete(victim.def);
    if (entry.g.units.size === 0) rendered = rendered.filter((r) => r !== entry);
    else entry.chunk = groupChunk(entry.g);
    total = fixedTokens + rendered.reduce((n, r) => n + r.chunk.tokens, 0);
  }
  // What is left goes first to more guesses, then to showing the likeliest richer (bench:context
  // recall at 512, seeds 7 / 13 / 17: 0.870 / 0.866 / 0.866 with richer forms first, 0.874 / 0.867 /
  // 0.868 this way; precision at 6,000 the same). A completion's leftover budget goes to a wider
  // window around the cursor instead (widenCursorWindow).
  if (s.request.target.kind !== "cursor") {
    total = refill(sorted, prio, picked, rendered, budget, total);
    if (total <= budget) total = showRicher(picked, rendered, budget, total);
  }
  // NOTE: a unit the syntax layer cut short (tree-sitter recovering from an error in the file)
  // renders as broken code; such a chunk is dropped rather than shown to the model. The target's
  // own group is never dropped: when recovery nested the target in a unit it is not part of (mobx's
  // action.ts, where an interface of call signatures swallows the rest of the file), the target is
  // shown alone, as written.
  for (const r of rendered) {
    if (r.g.best.score === Infinity && !parsesCleanly(r.chunk.text, r.chunk.language)) {
      const def = r.g.best.def;
      const alone = textChunk(r.g.file, "target", def.span.startOffset, def.span.endOffset);
      if (alone.tokens <= r.chunk.tokens) r.chunk = { ...alone, symbol: def.name };
    }
  }
  const parsing = rendered.filter((r) => r.g.best.score === Infinity || parsesCleanly(r.chunk.text, r.chunk.language));
  if (parsing.length < rendered.length) result.unparsable = rendered.length - parsing.length;
  const defChunks = parsing
    .sort((a, b) => b.g.best.score - a.g.best.score || a.g.best.order - b.g.best.order)
    .map((r) => r.chunk);
  // The target chunk first, then by rank.
  const targetFirst = [...defChunks.filter((c) => c.source === "target"), ...chunksFixed.filter((c) => c.source === "target")];
  const rest = [...defChunks.filter((c) => c.source !== "target"), ...chunksFixed.filter((c) => c.source !== "target")];
  result.chunks = [...targetFirst, ...rest];
  result.totalTokens = result.chunks.reduce((n, c) => n + c.tokens, 0);
  if (s.request.explain) {
    const shown = new Set(picked);
    result.candidates = sorted.map((c) => ({
      filePath: c.file.path,
      name: c.def.name,
      nameOffset: c.def.nameSpan.startOffset,
      source: c.source,
      score: c.score,
      priority: prio.get(c)!,
      guess: c.guess,
      ...(c.features ? { features: { ...c.features } } : {}),
      chars: denseChars(c.def, c.file),
      picked: shown.has(c),
    }));
  }
  return result;
}

/**
 * How many guesses refill prices for real before it gives up: each try renders a group. 8, 24 and
 * 60 recalled the same on bench:context seeds 7 / 13 / 17; 24 took the first build's p95 from
 * about 30 to 37 ms.
 */
const REFILL_TRIES = 8;

/**
 * The packing above prices a unit alone; in its group it may cost more or less (a class's header
 * is paid once), and units were dropped until the groups fit. What the budget has left goes to the
 * next guesses in rank order, each priced by rendering its group for real.
 */
function refill(sorted: readonly Candidate[], prio: ReadonlyMap<Candidate, number>, picked: Candidate[], rendered: Array<{ g: Group; chunk: ContextChunk }>, budget: number, total: number): number {
  let tries = 0;
  for (const c of sorted) {
    if (budget - total < 3 || tries >= REFILL_TRIES) break;
    if (!c.guess || prio.get(c)! < MIN_WORTH || picked.includes(c)) continue;
    const top = topOf(c.def, c.file.definitions);
    const entry = rendered.find((r) => r.g.file === c.file && r.g.top === top);
    if (entry && coveredBy(entry.g, c)) continue;
    tries++;
    const g: Group = entry?.g ?? { file: c.file, top, units: new Map(), best: c };
    g.units.set(c.def, c.mode);
    const chunk = groupChunk(g);
    const delta = chunk.tokens - (entry?.chunk.tokens ?? 0);
    if (total + delta <= budget && parsesCleanly(chunk.text, chunk.language)) {
      if (entry) entry.chunk = chunk;
      else rendered.push({ g, chunk });
      picked.push(c);
      total += delta;
    } else {
      g.units.delete(c.def);
    }
  }
  return total;
}

const MODE_RANK: Record<UnitMode, number> = { header: 0, signature: 1, elided: 2, trimmed: 3, full: 4 };

/**
 * With budget left once everything worth showing is picked, the guesses the body most likely
 * uses are shown richer, most likely first: a function with its body (how a helper behaves, what
 * it returns), else with its doc comment; a class whole, else with its members' signatures and docs. Each
 * step is priced by rendering its group for real, so it never pushes out a picked unit.
 */
function showRicher(picked: readonly Candidate[], rendered: Array<{ g: Group; chunk: ContextChunk }>, budget: number, total: number): number {
  const likely = picked.filter((c) => c.guess && c.score >= RICHER_GUESS).sort((a, b) => b.score - a.score || a.order - b.order);
  for (const c of likely) {
    const entry = rendered.find((r) => r.g.file === c.file && r.g.units.has(c.def));
    if (!entry) continue;
    const current = entry.g.units.get(c.def)!;
    const room = Math.min(budget * RICHER_SHARE, budget - total);
    // Whether the unit's growth alone tells its growth in the group (see below).
    const alone = ![...entry.g.units.keys()].some((d) => d !== c.def && isInside(d, c.def));
    // A class whole (when small: an exception, a record) says more than its members' signatures.
    const richer: UnitMode[] = ["full", "elided"];
    for (const mode of richer) {
      if (MODE_RANK[mode] <= MODE_RANK[current]) continue;
      // A step bigger than RICHER_SHARE (a long function) would crowd the prompt for little.
      // Re-rendering the whole group to learn that is most of this loop's time (a top-decile build
      // tried ~7 forms, 4,700 tokens re-rendered, for one shown), so a form whose growth as a unit
      // alone (cached per file version) is far over the room is not tried. Far: on 5,873 tries
      // (bench:context, both corpora, 3 budgets) the growth in the group was never more than
      // 1.25 × room + 16 tokens below the growth alone, when no picked unit lies inside this one.
      if (alone && unitTokens(c, mode) - unitTokens(c, current) > room * 1.25 + 16) continue;
      entry.g.units.set(c.def, mode);
      const chunk = groupChunk(entry.g);
      const delta = chunk.tokens - entry.chunk.tokens;
      if (delta <= room && parsesCleanly(chunk.text, chunk.language)) {
        entry.chunk = chunk;
        total += delta;
        break;
      }
      entry.g.units.set(c.def, current);
    }
  }
  return total;
}

function coveredBy(group: Group, c: Candidate): boolean {
  for (const [def, mode] of group.units) {
    if (def === c.def) return MODE_RANK[mode] >= MODE_RANK[c.mode];
    // Inside a unit shown verbatim, or a member shown by a container outline in the same form.
    if (isInside(c.def, def) && (mode === "full" || mode === "trimmed" || (isContainerKind(def) && MODE_RANK[mode] >= MODE_RANK[c.mode]))) return true;
  }
  return false;
}

function groupChunk(g: Group): ContextChunk {
  const r = renderGroup(g.file, g.top, g.units);
  const ranges: ShownRange[] = r.ranges;
  return {
    source: g.best.source,
    filePath: g.file.path,
    relativePath: g.file.relativePath,
    language: g.file.language,
    text: r.text,
    tokens: r.tokens,
    // The name the group was picked for (a method, for a method shown inside its class).
    symbol: g.best.def.name,
    elided: r.elided,
    startOffset: g.top.span.startOffset,
    endOffset: g.top.span.endOffset,
    ranges,
  };
}

