/**
 * The context engine: gathers candidate definitions for a target from ranked sources, then packs
 * the best ones under the token budget as whole syntactic units (bodies elided where a signature is
 * enough). This module runs one request; the parts live next to it:
 *   session.ts   the request's state: files looked at, candidates gathered, per-file name counts;
 *   bindings.ts  what the file's imports bind (resolved to workspace files, re-exports followed);
 *   guesses.ts   educated guesses for a body still to be written, with their evidence (features);
 *   analogs.ts   evidence from code like the target (look-alike functions and files, namesakes);
 *   pack.ts      pricing, picking and rendering under the budget.
 *
 * Ranks, highest first (see `SCORE`): the target itself; names its signature, doc comment and
 * code refer to; the enclosing class outline; imported definitions those names resolve to; other
 * open documents; and, for a body still to be written, educated guesses weighed by a fitted model
 * (guessModel.ts: how the rest of the file uses a name, orphan imports, nearness, look-alike
 * functions…, and how many rivals of its kind a guess has), where what a stub's signature names
 * is evidence too. Guesses are packed by probability per token and stop below a floor, so a target
 * that needs nothing from elsewhere gets a small context.
 */
import * as path from "node:path";
import type { Definition, SyntaxDocument } from "../syntax/types.js";
import { cursorWindow } from "./cursor.js";
import { isInside, membersOf } from "./render.js";
import type { UnitMode } from "./group.js";
import { filesOf, implicitNeighbours, type ModuleResolution } from "./resolve.js";
import { documentReferences } from "./syntax.js";
import { findTests } from "./tests.js";
import type { ContextChunk, ContextRequest, ContextResult } from "./types.js";
import { workspaceIndexFor } from "./workspace.js";
import { analogFiles, folderMemberNames } from "./analogs.js";
import { exportedDefs, groupByName, importBindings, resolveImports } from "./bindings.js";
import { addGuesses, weighNamed } from "./guesses.js";
import { pack } from "./pack.js";
import { type FileView, SCORE, type Session, addCandidate, containerOf, fileView, identifierCounts, identifiersOf, innermostFunction, isLocal, pathOfUri, textChunk, viewOfDocument, wordsOf } from "./session.js";

/** Share of the budget the cursor window takes before definitions are packed. */
const CURSOR_SHARE = 0.5;

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
  // The files it imports, read and analysed.
  importBindings(s, resolveImports(s, s.doc));
  // The look-alike files a stub or completion in this file will learn from (by the file's name,
  // and by the modules it imports).
  for (const f of analogFiles(s, new Set(wordsOf(path.basename(s.doc.path, path.extname(s.doc.path)))))) fileView(s, f);
  // What the files next to it write as `a.b`: every build with guesses asks (folderMembers), and
  // reading them on the first keystroke would put up to FOLDER_FILES reads on the typing path.
  folderMemberNames(s);
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
