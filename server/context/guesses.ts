/**
 * The educated guesses for a body still to be written: every definition the body might use
 * (the file's units, imported names, members of the types it takes, of imported classes and of
 * callback parameters), each with the evidence the guess model (guessModel.ts) scores it from.
 */
import type { Definition } from "../syntax/types.js";
import { isContainerKind, isInside, membersOf } from "./render.js";
import { afterTypeParameters, type UnitMode } from "./group.js";
import { conventionPattern } from "./syntax.js";
import { guessProbability, noFeatures, type GuessFeatures } from "./guessModel.js";
import type { ChunkSource } from "./types.js";
import { analogUses, analogViews, folderMemberNames, folderMemberUses, lazily, namesakeUses, siblingFileAnalogs } from "./analogs.js";
import { type Binding, exportedDefs, importedAs, resolveImports, resolvedMemo } from "./bindings.js";
import { type FileView, SCORE, type Session, addCandidate, containerOf, countsOutside, fileView, identifierCounts, identifiersOf, isLocal, keyOf, memberReach, memberUses, stemOf, wordsOf } from "./session.js";

/** How many members a class has, as a feature: one of a few fields is likelier used than one of sixty. */
function memberCountFeature(n: number): number {
  return Math.min(1, Math.log(1 + n) / Math.log(128));
}

/**
 * Guesses for a body not yet written: definitions of the file and of its imports, ranked by how
 * the rest of the file uses them (a helper nobody else calls was probably written for this body),
 * how near they are, and the words they share with the target's name and doc.
 */
export function addGuesses(s: Session, targetDef: Definition | undefined, enclosing: Definition | undefined, bindings: Binding[], at: number): Evidence {
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
  const ev: Evidence = { wantWords, wantStems: new Set([...wantWords].map(stemOf)), doc, analog, freq, targetTypes, siblingAnalog: siblingFileAnalogs(analogs), namesake: namesakeUses(s, targetDef, enclosing, bindings, analogs), folderUses: lazily(() => folderMemberUses(s)), folderMembers: lazily(() => folderMemberNames(s)), staticTypes: doc.conventions?.staticTypes ? 1 : 0, implicitNames: conventionPattern(doc.conventions?.implicitNames), rivals: new Map() };
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
  if (enclosing) {
    const bases = basesUp(s, [{ view: doc, def: enclosing }], bindings);
    addBaseMethod(s, targetDef, bases);
    addInheritedMembers(s, bases, ev);
  }
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
  ev.rivals = settleGuesses(s, ev);
  return ev;
}

/**
 * For a stub, the definitions its signature and doc name are evidence too, not certainties: a
 * type in the signature is often there for the caller, not the body. They are weighed by the same
 * model (with what named them as a feature) and shown in their richer form when chosen.
 */
export function weighNamed(s: Session, ev: Evidence): void {
  for (const c of s.candidates.values()) {
    if (c.guess || c.score === Infinity || (c.source !== "definition" && c.source !== "import")) continue;
    const f = c.features ?? featuresOf(c.def, ev, Math.max(0, (ev.freq.get(c.def.name) ?? 1) - 1), c.file);
    f.named = c.score >= SCORE.signatureName * 0.95 ? 1 : 0.5;
    if (c.source === "import") f.imported = 1;
    else f.sameFile = 1;
    f.rivals = rivalsFeature(f, ev.rivals);
    f.folderMembers = ev.folderMembers(c.def.name);
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
  /** The share of the folder's files that write `x.name` (folderMemberNames). */
  folderMembers: (name: string) => number;
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
  if (f.inherited) return "inherited";
  if (f.ofOrphanModule || f.moduleMember) return "module";
  return "imported";
}

/** The `rivals` feature of a guess, from the request's count of each kind: log-scaled, 1 at 1,024. */
function rivalsFeature(f: GuessFeatures, counts: ReadonlyMap<string, number>): number {
  return Math.min(1, Math.log(Math.max(1, counts.get(rivalryOf(f)) ?? 1)) / Math.log(1024));
}

/** Scores the collected guesses (addGuess), each knowing how many rivals of its kind it has. */
function settleGuesses(s: Session, ev: Evidence): Map<string, number> {
  const kinds = new Map<string, Set<string>>();
  for (const g of s.pendingGuesses) {
    const kind = rivalryOf(g.features);
    if (!kinds.has(kind)) kinds.set(kind, new Set());
    kinds.get(kind)!.add(keyOf(g.file, g.def));
  }
  const counts = new Map([...kinds].map(([k, v]) => [k, v.size]));
  for (const { file, def, features, source } of s.pendingGuesses) {
    features.rivals = rivalsFeature(features, counts);
    features.folderMembers = ev.folderMembers(def.name);
    addCandidate(s, { file, def, mode: guessMode(def), score: guessProbability(features), source, guess: true, features });
  }
  s.pendingGuesses = [];
  return counts;
}

/** The densest form of a guessed unit: a class's header, a function's signature, a field whole. */
function guessMode(def: Definition): UnitMode {
  return isContainerKind(def) ? "header" : "signature";
}

/** How many levels of base classes `basesUp` and `classesNamed` climb. */
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
    // `name` is the local name (`import { iterator as Symbol_iterator }`).
    const imported = importedAs(r.import, name);
    if (imported === undefined || !r.names.includes(imported)) continue;
    for (const f of r.files) {
      const v = fileView(s, f);
      if (!v) continue;
      const defs = exportedDefs(s, v, imported);
      if (defs.length) return defs;
    }
  }
  return [];
}

/** The bases of classes, BASE_DEPTH levels up (nearest first), each once and none of `classes`. */
function basesUp(s: Session, classes: ReadonlyArray<{ view: FileView; def: Definition }>, bindings: Binding[]): Array<{ view: FileView; def: Definition }> {
  const out: Array<{ view: FileView; def: Definition }> = [];
  let level = [...classes];
  const seen = new Set<Definition>(classes.map((c) => c.def));
  for (let depth = 0; depth < BASE_DEPTH && level.length; depth++) {
    const next: Array<{ view: FileView; def: Definition }> = [];
    for (const { view, def } of level) {
      for (const base of baseClasses(s, view, def, bindings)) {
        if (seen.has(base.def)) continue;
        seen.add(base.def);
        next.push(base);
      }
    }
    out.push(...next);
    level = next;
  }
  return out;
}

/**
 * The base-class method a method overrides (a body often calls `super` or mirrors it), ranked
 * with the names the target refers to.
 */
function addBaseMethod(s: Session, targetDef: Definition | undefined, bases: ReadonlyArray<{ view: FileView; def: Definition }>): void {
  if (!targetDef) return;
  for (const base of bases) {
    for (const m of membersOf(base.def, base.view.definitions)) {
      if (m.name !== targetDef.name) continue;
      addCandidate(s, { file: base.view, def: m, mode: m.bodySpan ? "signature" : "full", score: SCORE.bodyName * 0.9, source: base.view === s.doc ? "definition" : "import", guess: false });
    }
  }
}

/**
 * The other members of the bases, as guesses (inherited): a body reaches them as it reaches its own
 * class's (`this.clearGcTimeout()` in @tanstack/query-core's Query, which extends Removable). As
 * names ranked with what the target refers to, they had crowded out more than they brought
 * (bench:context); the model weighs them by their evidence.
 */
function addInheritedMembers(s: Session, bases: ReadonlyArray<{ view: FileView; def: Definition }>, ev: Evidence): void {
  const properties = memberReach(s.doc).names;
  for (const base of bases) guessMembers(s, base, ev, { inherited: 1 }, (m) => properties.has(m.name));
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
  return [...found, ...basesUp(s, found, bindings)];
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

/** How many types addSecondHopMembers follows. */
const SECOND_HOP_TYPES = 6;

/**
 * Members one type further: the types of the members the file reaches of the types a body works
 * with (`query.state.fetchStatus`, where Query has `state: QueryState`; `client.getMutationCache()
 * .build(…)`, where the method returns a MutationCache), as guesses of their own (secondHop).
 */
function addSecondHopMembers(s: Session, typed: ReadonlyArray<{ view: FileView; def: Definition }>, bindings: Binding[], ev: Evidence, properties: Set<string>): void {
  const followed = new Set(typed.map((t) => t.def));
  let count = 0;
  for (const t of typed) {
    for (const m of membersOf(t.def, t.view.definitions)) {
      if (!properties.has(m.name)) continue;
      // A method's return type; a field's annotation or `new C()` initializer.
      const typeText = m.parameters !== undefined ? (m.returnType ?? "") : t.view.text.slice(m.nameSpan.endOffset, Math.min(m.span.endOffset, m.nameSpan.endOffset + 200));
      for (const id of identifiersOf(typeText).slice(0, 3)) {
        for (const c of classesNamed(s, t.view, id, bindings)) {
          if (followed.has(c.def)) continue;
          if (count >= SECOND_HOP_TYPES) return;
          followed.add(c.def);
          count++;
          guessMembers(s, c, ev, { typedMember: 1, secondHop: 1 }, (x) => properties.has(x.name));
        }
      }
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
  const reach = memberReach(doc);
  const properties = reach.names;
  const typeText = [targetDef?.parameters ?? "", targetDef?.returnType ?? ""];
  if (enclosing) for (const m of membersOf(enclosing, doc.definitions)) if (!m.bodySpan && m !== targetDef) typeText.push(m.signature ?? "");
  const typeNames = identifiersOf(typeText.join(" ")).filter((id) => id !== enclosing?.name).slice(0, TYPE_NAMES * 4);
  let followed = 0;
  const returned = new Set(identifiersOf(targetDef?.returnType ?? ""));
  const seenTypes = new Set<Definition>();
  const typed: Array<{ view: FileView; def: Definition }> = [];
  for (const name of typeNames) {
    if (followed >= TYPE_NAMES) break;
    const classes = classesNamed(s, doc, name, bindings);
    if (!classes.length) continue;
    followed++;
    for (const c of classes) {
      typed.push(c);
      guessMembers(s, c, ev, { typedMember: 1 }, (m) => properties.has(m.name));
      // A type the body returns may be an object of callbacks (`QueryBehavior { onFetch(context:
      // FetchContext, …) }`): the types its members take are handed to the body's callbacks.
      if (returned.has(name)) addCallbackTypeMembers(s, c, bindings, seenTypes, ev, properties);
    }
  }
  addSecondHopMembers(s, typed, bindings, ev, properties);
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
  // Values used as receivers: `value.member` where the value is a variable whose declaration names
  // its class (an annotation or a `new C()` initializer): imported ones, and the file's own
  // top-level ones (mobx's `observable: IObservableFactory`, which createObservable calls
  // `observable.box(…)` on).
  const values = [
    ...bindings.flatMap((b) => (b.kind === "defs" ? b.defs.map((x) => ({ name: b.name, ...x, imported: 1 })) : [])),
    ...doc.definitions.filter((d) => d.depth === 0 && d !== targetDef).map((def) => ({ name: def.name, view: doc, def, imported: 0 })),
  ];
  for (const { name, view, def, imported } of values) {
    if (def.bodySpan || isContainerKind(def)) continue;
    const wanted = reach.byReceiver.get(name) ?? [];
    // A value imported for the body alone (rxjs' `timeoutProvider`, used nowhere else in
    // reportUnhandledError.ts) offers its members as the one the rest of the file reaches does.
    const orphan = (freq.get(name) ?? 1) <= 1;
    if (!wanted.length && !orphan) continue;
    const declared = view.text.slice(def.nameSpan.endOffset, Math.min(def.span.endOffset, def.nameSpan.endOffset + 200));
    for (const id of identifiersOf(declared).slice(0, 4)) {
      for (const c of classesNamed(s, view, id, bindings)) {
        // Every member: the body may reach one the rest of the file never does (mobx's
        // `globalState.inBatch`); the model weighs those apart (unseenMember).
        guessMembers(s, c, ev, { typedMember: 1, imported, ofOrphanClass: orphan ? 1 : 0 }, (m) => wanted.includes(m.name));
      }
    }
  }
}

/** The names a class's constructor has in the supported languages. */
const CONSTRUCTORS = new Set(["constructor", "__init__", "new"]);
