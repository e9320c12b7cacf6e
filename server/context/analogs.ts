/**
 * Evidence from code like the target: the names that look-alike functions use, in the same file
 * (analogUses), in look-alike and co-importing files of the folder (siblingFileAnalogs), in functions
 * of the target's own name elsewhere (namesakeUses), and how the folder's files use the modules
 * they import (folderMemberUses). Each is a feature of the guess model.
 */
import * as path from "node:path";
import type { Definition } from "../syntax/types.js";
import { isContainerKind, isInside } from "./render.js";
import type { Binding } from "./bindings.js";
import { DOTTED, type FileView, IDENTIFIER, type Session, containerOf, fileView, isLocal, wordsOf } from "./session.js";

/** How many files of the target's folder `siblingFileAnalogs` reads. */
const SIBLING_FILES = 5;

/**
 * Names that functions like the target in files like its own use: in a folder of one operator per
 * file (rxjs' windowToggle.ts next to windowWhen.ts and bufferToggle.ts), the look-alikes call
 * the same helpers and the same members. Files are chosen by the words their names share with the
 * target's file and name, and by the modules they import with it; each name gets a weight in [0, 1].
 */
export function siblingFileAnalogs(analogs: AnalogViews | undefined): Map<string, number> {
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
export function analogViews(s: Session, targetDef: Definition | undefined): AnalogViews | undefined {
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
export function namesakeUses(s: Session, targetDef: Definition | undefined, enclosing: Definition | undefined, bindings: Binding[], analogs: AnalogViews | undefined): Map<string, number> {
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
export function analogFiles(s: Session, want: Set<string>): Set<string> {
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
export function lazily<A, R>(make: () => (a: A) => R): (a: A) => R {
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
export function folderMemberUses(s: Session): (pair: string) => boolean {
  // Looked up in each file's set (kept per file version) rather than merged: a few hundred
  // lookups cost less than merging thousands of pairs on every request.
  const sets = folderDotted(s).map((u) => u.pairs).filter((u) => u.size);
  return (pair) => sets.some((u) => u.has(pair));
}

/**
 * The share of the files next to the document that reach a member of that name (`x.name`, any
 * receiver): the members other code works with, against those that exist (`query.isStale()` in
 * the observers next to utils.ts, not `cancel`). In the seed-11 dump a typed member is used 1.2 %
 * of the time when no neighbour reaches its name, 8.3 % when 30 % or more do. As the model's
 * folderMembers feature, fitted with the ranking term: bench:context recall at 512 tokens, seeds
 * 7 / 13 / 17, 0.883 / 0.870 / 0.869 → 0.893 / 0.877 / 0.879.
 */
export function folderMemberNames(s: Session): (name: string) => number {
  const sets = folderDotted(s).map((u) => u.names);
  return (name) => {
    let reached = 0;
    for (const u of sets) if (u.has(name)) reached++;
    return sets.length ? reached / sets.length : 0;
  };
}

/** What a file writes as `a.b`: the pairs, and the member names alone. */
interface DottedUses {
  pairs: Set<string>;
  names: Set<string>;
}

function dottedUses(text: string): DottedUses {
  const pairs = new Set(text.match(DOTTED) ?? []);
  return { pairs, names: new Set([...pairs].map((p) => p.slice(p.indexOf(".") + 1))) };
}

/** The `a.b` uses of each readable file of the folder (folderFiles), read once per file version (kept by the index). */
function folderDotted(s: Session): DottedUses[] {
  const out: DottedUses[] = [];
  for (const file of folderFiles(s)) {
    const uses = s.index!.derive(file, "dotted-uses", dottedUses);
    if (uses) out.push(uses);
  }
  return out;
}

/** folderFiles per request: the co-importing files, the module uses and the member names all start from them. */
const folderFilesMemo = new WeakMap<Session, string[]>();

/** Up to FOLDER_FILES files of the document's folder with its extension, nearest by name first. */
function folderFiles(s: Session): string[] {
  let files = folderFilesMemo.get(s);
  if (!files) folderFilesMemo.set(s, (files = listFolderFiles(s)));
  return files;
}

function listFolderFiles(s: Session): string[] {
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
export function analogUses(doc: FileView, targetDef: Definition | undefined, enclosing: Definition | undefined, at: number): Map<string, number> {
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
