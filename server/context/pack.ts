/**
 * Packing: candidates, ranked (guesses by probability per token), are priced and picked under
 * the token budget, grouped per top-level unit and rendered as whole syntactic units; groups are
 * then rendered for real and trimmed to the budget, and what is left goes to more guesses
 * (refill), then to showing the likeliest guesses richer (showRicher).
 */
import type { Definition } from "../syntax/types.js";
import { isContainerKind, isInside, isValueKind, membersOf, nestingOf, type ShownRange } from "./render.js";
import { docExamples, renderGroup, typeArgumentLists, valueElided, type UnitMode } from "./group.js";
import { parsesCleanly } from "./syntax.js";
import { countTokens } from "./tokens.js";
import type { ContextChunk, ContextResult } from "./types.js";
import { type Candidate, type FileView, SCORE, type Session, keyOf, textChunk } from "./session.js";

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

/**
 * Share of the budget above which the target drops its doc comment (a code action's prompt shows
 * the target as written anyway). bench:context seeds 7 / 13 / 17 at 512: 0.904 / 0.886 / 0.887 at
 * 0.6, 0.904 / 0.892 / 0.889 at 0.45 (0.4 the same, 0.35 0.904 / 0.892 / 0.891); at 256 and
 * 1,024 0.002-0.003 more too.
 */
const TARGET_SHARE = 0.45;

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
 * Overloads of one guessed function (TypeScript's `pipe(): …; pipe<A>(op1): …;` …), and the
 * accessors of one property, share a name and evidence, so they were picked together, each costing
 * a signature that tells the model nothing new. One stands for all: the first declared (what a
 * reader meets first, and the getter the benchmark's TypeScript gold names), ranked as the best of
 * them. `prio` is updated for the ones kept. bench:context at 512, seeds 7 / 13 / 17, for the
 * accessors: 0.9041 / 0.8922 / 0.8891 -> 0.9049 / 0.8932 / 0.8900.
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
  // at the top level (a def per platform) are different code and both stay.
  const overloaded = new Set<string>();
  const withBody = new Map<string, number>();
  for (const c of candidates) {
    const k = keyOf(c);
    if (k === undefined) continue;
    if (!c.def.bodySpan && (c.def.kind === "function" || c.def.kind === "method")) overloaded.add(k);
    // Two bodies of one name in one class are one property to the body being written: a getter
    // and its setter (mobx's `get isRunning()` / `set isRunning(v)`, a Python property and its
    // `@x.setter`), or a method defined per platform in the class body; the first declared says
    // what it is.
    if (c.def.bodySpan && nestingOf(c.file.definitions).parent.has(c.def)) {
      withBody.set(k, (withBody.get(k) ?? 0) + 1);
      if (withBody.get(k)! > 1) overloaded.add(k);
    }
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
export function pack(s: Session, budget: number, fixedChunk: ContextChunk | undefined, testChunks: ContextChunk[], result: ContextResult): ContextResult {
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
