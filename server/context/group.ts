/**
 * Renders the units picked from one top-level definition as one chunk: the definition's own
 * text, where members that were not picked are removed, members picked "elided" keep their
 * signature with the body replaced by the language's elided-body text, and members picked "full"
 * stay verbatim. The result is a whole syntactic unit (a class keeps its header and closing
 * brace), so it parses on its own.
 */
import type { Definition, LanguageConventions } from "../syntax/types.js";
import { isContainerKind, isValueKind, membersOf, nestingOf, type ShownRange } from "./render.js";
import { conventionPattern } from "./syntax.js";
import { countTokens } from "./tokens.js";

/**
 * How a picked definition is shown: verbatim, verbatim but for the examples in its doc comment
 * ("trimmed"), with bodies elided (doc comments kept), as a bare signature (bodies elided and the
 * doc comment dropped), or, for a class and its kin, as its header alone with the whole body
 * elided (the densest form: a class the code may instantiate or name costs a line, not its API).
 */
export type UnitMode = "full" | "trimmed" | "elided" | "signature" | "header";

/** What rendering needs from a file. */
export interface RenderSource {
  text: string;
  definitions: Definition[];
  conventions?: Pick<LanguageConventions, "elidedBody" | "elidedValue" | "elidedSignature" | "lineComment" | "typeArguments" | "denseModifiers" | "denseHeritage"> | undefined;
}

/** A rendered group. */
export interface RenderedGroup {
  text: string;
  ranges: ShownRange[];
  elided: boolean;
  tokens: number;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Default elision when a language has no conventions (plain text never gets here in practice). */
const DEFAULT_ELIDED = "{ … }";

const cache = new WeakMap<Definition[], Map<string, RenderedGroup>>();

/** Renders `units` (all inside or equal to `top`) from one file; cached per file version. */
export function renderGroup(file: RenderSource, top: Definition, units: ReadonlyMap<Definition, UnitMode>): RenderedGroup {
  let perFile = cache.get(file.definitions);
  if (!perFile) cache.set(file.definitions, (perFile = new Map()));
  const key = `${top.span.startOffset}:${[...units].map(([d, m]) => `${d.span.startOffset}-${d.span.endOffset}-${m}`).sort().join(",")}`;
  const hit = perFile.get(key);
  if (hit) return hit;
  const text = file.text;
  const elidedBody = file.conventions?.elidedBody ?? DEFAULT_ELIDED;
  const edits: Edit[] = [];
  /** Spans to show on one line (see oneLine): parameter lists, fields whose type runs over lines. */
  const folds: Array<[number, number]> = [];
  /** Whether a picked unit (in one of `modes`, when given) lies inside `d`. */
  const holds = (d: Definition, modes?: readonly UnitMode[]): boolean =>
    [...units].some(([p, m]) => p !== d && (!modes || modes.includes(m)) && p.span.startOffset >= d.span.startOffset && p.span.endOffset <= d.span.endOffset);

  const visit = (def: Definition, mode: UnitMode | "skeleton"): void => {
    if (mode === "full") return;
    if (mode === "trimmed") {
      for (const [a, z] of docExamples(def, text)) edits.push({ start: a, end: z, text: "" });
      return;
    }
    const members = membersOf(def, file.definitions);
    // A header with members picked inside shows them, as any class shown in part does.
    if (mode === "header" && isContainerKind(def) && holds(def)) mode = "skeleton";
    // So does a variable whose object literal holds a picked method (pack.ts topOf).
    if (isValueKind(def) && mode !== "skeleton" && holds(def)) mode = "skeleton";
    // A doc comment before the definition goes in the densest forms (it never holds members).
    if ((mode === "signature" || mode === "skeleton" || mode === "header") && def.docSpan && def.docSpan.endOffset <= (def.bodySpan?.startOffset ?? def.span.endOffset) && def.docSpan.startOffset < def.nameSpan.startOffset) {
      let end = def.docSpan.endOffset;
      while (end < text.length && /\s/.test(text[end]!)) end++;
      if (end <= def.nameSpan.startOffset) edits.push({ start: def.docSpan.startOffset, end, text: "" });
    }
    const dense = mode === "signature" || mode === "header" || (mode === "skeleton" && isContainerKind(def) && !holds(def, WHOLE));
    /** Type argument lists left out (their line breaks go with them). */
    const elidedTypes: Array<[number, number]> = [];
    // The densest forms of a class leave out what it extends and implements: its name and the
    // members picked are what it is shown for, and a base the body needs is a guess of its own.
    // bench:context recall at 512 tokens, seeds 7 / 13 / 17: 0.857 / 0.839 / 0.841 → 0.865 / 0.844 / 0.845
    // (0.861 on seed 7 around picked members alone, not for a class shown as its header).
    if (dense && (mode === "skeleton" || mode === "header") && file.conventions?.denseHeritage) {
      const edit = heritage(def, text, file.conventions.denseHeritage);
      if (edit) edits.push(edit);
    }
    if (dense && file.conventions?.denseModifiers) {
      // bench:context recall at 512 tokens, seeds 7 / 13 / 17: 0.860 / 0.830 / 0.840 → 0.864 / 0.836 / 0.841.
      const edit = leadingModifiers(def, text, file.conventions.denseModifiers);
      if (edit) edits.push(edit);
    }
    if (mode !== "skeleton" && def.valueSpan && file.conventions?.elidedValue && valueElided(def, text, mode)) {
      // A table or an object literal: what it is called and its type say enough.
      edits.push({ start: def.valueSpan.startOffset, end: def.valueSpan.endOffset, text: file.conventions.elidedValue });
      return;
    }
    // The class of the target being written keeps its type parameters, without their defaults
    // (`TError = DefaultError`): the body names the parameters, never what a caller may leave out.
    if (!dense && mode === "skeleton" && isContainerKind(def) && file.conventions?.typeArguments) {
      const lists = typeArgumentLists(text, def.nameSpan.startOffset, def.bodySpan?.startOffset ?? def.span.endOffset, file.conventions.typeArguments);
      const first = lists[0];
      if (first && first[0] === def.nameSpan.endOffset) for (const [a, z] of typeParameterDefaults(text, first[0] + 1, first[1] - 1)) edits.push({ start: a, end: z, text: "" });
      // Its header's lists written one entry per line (prettier's `class QueryObserver<\n  TQueryFnData,\n  …\n>`)
      // read the same on one line, for 5-7 tokens less.
      for (const [a, z] of lists) if (foldableList(text.slice(a, z))) folds.push([a, z]);
    }
    // The densest forms leave out type parameter and argument lists: in a generic library they are
    // most of a signature (TanStack's `QueryOptions<TQueryFnData = unknown, TError = DefaultError,
    // …>`), and the names, parameters and return type are what a guess is shown for. So does the
    // header of a class shown for some of its members, unless one of them is shown whole (the
    // target being written: its class keeps its header, its type parameters' defaults aside).
    // bench:context: recall 0.799 -> 0.830 at 512 tokens, 0.935 -> 0.951 at 2048.
    if (dense && file.conventions?.typeArguments) {
      const from = def.docSpan && def.docSpan.startOffset < def.nameSpan.startOffset ? Math.max(def.span.startOffset, def.docSpan.endOffset) : def.span.startOffset;
      for (const [a, z] of typeArgumentLists(text, from, def.bodySpan?.startOffset ?? def.span.endOffset, file.conventions.typeArguments)) {
        edits.push({ start: a, end: z, text: "" });
        elidedTypes.push([a, z]);
      }
    }
    if ((mode === "signature" || mode === "header") && file.conventions?.lineComment) {
      // A comment after it on its line goes with its doc comment (`observing_: IObservable[] = []
      // // nodes we are looking at…`).
      const edit = trailingComment(def, text, file.conventions.lineComment);
      if (edit) edits.push(edit);
    }
    if (mode === "signature" || mode === "elided") {
      const fold = foldableParameters(def, text, elidedTypes);
      if (fold) folds.push(fold);
    }
    if (mode === "signature" && file.conventions?.typeArguments && foldableField(def, text, file.conventions.lineComment)) folds.push([def.span.startOffset, def.span.endOffset]);
    if (mode === "signature" && file.conventions?.elidedSignature && declarable(def, file.definitions, text)) {
      // A bare signature ends as a declaration does (`f(x: T): U;`): the elision marker costs
      // four tokens more, on every guessed function.
      let start = def.bodySpan!.startOffset;
      while (start > def.span.startOffset && /\s/.test(text[start - 1]!)) start--;
      edits.push({ start, end: def.bodySpan!.endOffset, text: file.conventions.elidedSignature });
      return;
    }
    if (((mode === "elided" || mode === "signature") && !isContainerKind(def)) || mode === "header") {
      const e = bodyElision(def, text, elidedBody, mode === "elided");
      if (e) edits.push(e);
      return;
    }
    if (isContainerKind(def) && def.bodySpan) {
      if (mode === "skeleton") {
        // A class shown only for the members picked in it keeps its header, those members and
        // its closing line: its docstring, comments, overloads and statements describe what is
        // not shown, and in a big class they cost more than the members picked.
        const kept = members.filter((m) => units.has(m) || holds(m));
        edits.push(...strayLines(def, kept, text));
      } else {
        // Comment lines between the members of a class shown whole describe members not shown
        // in full: they go too.
        edits.push(...commentLines(def, members, text, file.conventions?.lineComment));
      }
    }
    const repeated = mode === "elided" || mode === "signature" ? laterOverloads(members) : undefined;
    for (const m of members) {
      const own = units.get(m);
      if (own) visit(m, own);
      else if (repeated?.has(m) && !holds(m)) edits.push(removal(m, text));
      else if (mode === "elided" || mode === "signature") visit(m, mode);
      else if (holds(m)) visit(m, isContainerKind(m) ? "skeleton" : "full");
      else edits.push(removal(m, text));
    }
  };
  visit(top, units.get(top) ?? "skeleton");

  const start = top.span.startOffset;
  const end = top.span.endOffset;
  let out = "";
  let pos = start;
  folds.sort((a, b) => a[0] - b[0]);
  for (const e of edits.sort((a, b) => a.start - b.start)) {
    if (e.start < pos) continue;
    out += folded(text, pos, e.start, folds) + e.text;
    pos = e.end;
  }
  out += folded(text, pos, end, folds);
  out = dedent(out.replace(/\n(?:[ \t]*\n){2,}/g, "\n\n"), text, start);
  const ranges = subtract(start, end, edits);
  const result: RenderedGroup = { text: out, ranges, elided: edits.length > 0, tokens: countTokens(out) };
  if (perFile.size > 5000) perFile.clear();
  perFile.set(key, result);
  return result;
}

/**
 * The type parameter and argument lists in `text[start, end)`: a bracket written right after an
 * identifier, to its matching close (`=>` and `->` are arrows, not closes; strings and comments are
 * skipped). An unbalanced list ends the scan, so a misread never removes half a list.
 */
export function typeArgumentLists(text: string, start: number, end: number, [open, close]: [string, string]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = start;
  const skip = (j: number): number => skipLiteral(text, j, end);
  while (i < end) {
    const next = skip(i);
    if (next !== i) {
      i = next;
      continue;
    }
    if (text[i] === open && i > start && /[A-Za-z0-9_$]/.test(text[i - 1]!)) {
      let depth = 0;
      let j = i;
      for (; j < end; j++) {
        const after = skip(j);
        if (after !== j) {
          j = after - 1;
          continue;
        }
        if (text[j] === open) depth++;
        else if (text[j] === close && text[j - 1] !== "=" && text[j - 1] !== "-") {
          if (--depth === 0) break;
        }
      }
      if (j >= end) return out;
      out.push([i, j + 1]);
      i = j + 1;
      continue;
    }
    i++;
  }
  return out;
}

/**
 * Where the string or comment starting at `text[j]` ends (bounded by `end`), or `j` when none starts
 * there: bracket scanners step over them whole.
 */
function skipLiteral(text: string, j: number, end: number): number {
  const c = text[j];
  if (c === '"' || c === "'" || c === "`") {
    for (let k = j + 1; k < end; k++) {
      if (text[k] === "\\") k++;
      else if (text[k] === c) return k + 1;
    }
    return end;
  }
  if (c === "/" && text[j + 1] === "/") {
    const nl = text.indexOf("\n", j);
    return nl < 0 || nl > end ? end : nl + 1;
  }
  if (c === "/" && text[j + 1] === "*") {
    const z = text.indexOf("*/", j + 2);
    return z < 0 || z > end ? end : z + 2;
  }
  return j;
}

/**
 * The defaults in a type parameter list's text `text[start, end)` (its brackets left out): from
 * each top-level `=` (not `=>`) to the next top-level comma, or to the end of the list, with the
 * spaces before it (strings and comments are stepped over).
 */
export function typeParameterDefaults(text: string, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let depth = 0;
  let from = -1;
  for (let i = start; i < end; i++) {
    const after = skipLiteral(text, i, end);
    if (after !== i) {
      i = after - 1;
      continue;
    }
    const c = text[i]!;
    if ("<([{".includes(c)) depth++;
    else if (")]}".includes(c) || (c === ">" && text[i - 1] !== "=")) depth--;
    else if (depth === 0 && c === "=" && text[i + 1] !== ">" && from < 0) {
      from = i;
      while (from > start && /[ \t]/.test(text[from - 1]!)) from--;
    } else if (depth === 0 && c === "," && from >= 0) {
      out.push([from, i]);
      from = -1;
    }
  }
  if (from >= 0) {
    let z = end;
    while (z > from && /\s/.test(text[z - 1]!)) z--;
    out.push([from, z]);
  }
  return out;
}

/**
 * Whether a function can stand as a declaration without its body: a top-level function or a method
 * of a class-like definition, written with a block body (not an arrow's, not an object literal's).
 */
function declarable(def: Definition, all: readonly Definition[], text: string): boolean {
  if (!def.bodySpan || isContainerKind(def) || (def.kind !== "function" && def.kind !== "method")) return false;
  // A generator has no declaration without its body (`function* f(): G;` does not parse).
  if (/\bfunction\s*\*|^\s*(?:(?:async|static|public|private|protected)\s+)*\*/.test(def.signature)) return false;
  if (text[def.bodySpan.startOffset] !== "{" || /=>\s*$/.test(text.slice(Math.max(0, def.bodySpan.startOffset - 40), def.bodySpan.startOffset))) return false;
  const parent = nestingOf(all).parent.get(def);
  return parent === undefined ? def.depth === 0 : isContainerKind(parent);
}

/** A doc comment line that opens an example section (JSDoc `@example`, a Markdown "## Example"). */
const EXAMPLE_START = /^[ \t]*(?:\*[ \t]*)?(?:@example\b|#{1,4}[ \t]*Examples?\b)/;
/** A doc comment line that ends one: another tag (`@param`, `@return`…). */
const EXAMPLE_END = /^[ \t]*(?:\*[ \t]*)?@(?!example\b)[A-Za-z]/;

/**
 * The example sections of a definition's doc comment, as whole lines: from a line that opens one
 * to the next tag, or to the comment's last line (kept, so the comment still closes).
 */
export function docExamples(def: Definition, text: string): Array<[number, number]> {
  const doc = def.docSpan;
  if (!doc) return [];
  const out: Array<[number, number]> = [];
  let lineStart = text.lastIndexOf("\n", doc.startOffset - 1) + 1;
  let open = -1;
  while (lineStart < doc.endOffset) {
    const nl = text.indexOf("\n", lineStart);
    const lineEnd = nl < 0 || nl >= doc.endOffset ? doc.endOffset : nl + 1;
    const line = text.slice(lineStart, lineEnd);
    const last = lineEnd >= doc.endOffset;
    if (open < 0 && lineStart > doc.startOffset && !last && EXAMPLE_START.test(line)) open = lineStart;
    else if (open >= 0 && (EXAMPLE_END.test(line) || last)) {
      out.push([open, lineStart]);
      open = -1;
    }
    lineStart = lineEnd;
  }
  return out;
}

/**
 * The edit removing the keywords `pattern` matches at the start of a definition (after its doc
 * comment), when a keyword of the definition's own (`function`, `class`) still comes before its name
 * or the definition is a member (`public open()` → `open()`).
 */
function leadingModifiers(def: Definition, text: string, pattern: string): Edit | undefined {
  const re = conventionPattern(pattern)!;
  let start = def.docSpan && def.docSpan.startOffset < def.nameSpan.startOffset ? Math.max(def.span.startOffset, def.docSpan.endOffset) : def.span.startOffset;
  while (start < def.nameSpan.startOffset && /\s/.test(text[start]!)) start++;
  const head = text.slice(start, def.nameSpan.startOffset);
  const m = re.exec(head);
  if (!m || !m[0].length || (head.slice(m[0].length).trim() === "" && def.depth === 0)) return undefined;
  return { start, end: start + m[0].length, text: "" };
}

/**
 * The edit removing a container's heritage clause (`extends Atom implements IObservable`), which
 * `pattern` matches between its name and its body.
 */
function heritage(def: Definition, text: string, pattern: string): Edit | undefined {
  if (!def.bodySpan || !isContainerKind(def)) return undefined;
  // After the type parameters: `TQueryKey extends QueryKey` in them is a bound, not a base.
  const from = afterTypeParameters(text, def.nameSpan.endOffset, def.bodySpan.startOffset);
  const m = conventionPattern(pattern)!.exec(text.slice(from, def.bodySpan.startOffset));
  if (!m || !m[0].length) return undefined;
  return { start: from + m.index, end: from + m.index + m[0].length, text: "" };
}

/**
 * Where a declaration goes on after its type parameters (`type X<T = D> = A | B`, Python's `type
 * X[T] = …`, `class Q<K extends Key> extends Base`), so that what they say (a default, a bound) is
 * not read as what the declaration joins or extends.
 */
export function afterTypeParameters(text: string, at: number, end: number): number {
  while (at < end && /\s/.test(text[at]!)) at++;
  const open = text[at];
  if (open !== "<" && open !== "[") return at;
  const close = open === "<" ? ">" : "]";
  let depth = 0;
  for (let i = at; i < end; i++) {
    if (text[i] === open) depth++;
    // `=>` inside a default (`<F = () => void>`) closes nothing.
    else if (text[i] === close && !(close === ">" && text[i - 1] === "=")) depth--;
    if (depth === 0) return i + 1;
  }
  return at;
}

/** The edit removing a line comment that follows `def` on its last line. */
function trailingComment(def: Definition, text: string, lineComment: string): Edit | undefined {
  const eol = text.indexOf("\n", def.span.endOffset);
  const rest = text.slice(def.span.endOffset, eol < 0 ? text.length : eol);
  // After the statement's own `;` or a literal's `,`, which stay.
  const lead = /^[;,]?/.exec(rest)![0].length;
  if (!rest.slice(lead).trimStart().startsWith(lineComment)) return undefined;
  return { start: def.span.endOffset + lead, end: def.span.endOffset + rest.length, text: "" };
}

/**
 * A function's parameter list written over several lines (one parameter per line, as formatters
 * write long signatures), when it can stand on one: shown outside its verbatim forms, its line
 * breaks and indentation cost tokens and say nothing (TanStack's `hashQueryKeyByOptions(\n  queryKey:
 * TQueryKey,\n  options?: Pick,\n): string` is 23 tokens, 19 on one line). Not where a comment, a
 * multi-line string or a break inside one parameter could make one line mean something else.
 */
function foldableParameters(def: Definition, text: string, elided: ReadonlyArray<[number, number]>): [number, number] | undefined {
  const params = def.parameters;
  if (!params || !params.includes("\n") || isContainerKind(def) || /\/\/|\/\*|#|`|"""|'''/.test(params)) return undefined;
  const at = text.indexOf(params, def.nameSpan.endOffset);
  if (at < 0 || at + params.length > (def.bodySpan?.startOffset ?? def.span.endOffset)) return undefined;
  // Only breaks between parameters: inside one (a TypeScript object type's members, one per line)
  // a line break can be what separates two things. Breaks inside a type argument list left out
  // (`options: QueryObserverOptions<\n  TQueryFnData,\n …>`) go with it.
  for (const m of params.matchAll(/[ \t]*\r?\n\s*/g)) {
    if (elided.some(([a, z]) => a <= at + m.index && at + m.index < z)) continue;
    const before = params.slice(0, m.index).trimEnd().slice(-1);
    const after = params[m.index + m[0].length];
    if (before !== "(" && before !== "," && after !== ")") return undefined;
  }
  return [at, at + params.length];
}

/**
 * A field whose declared type runs over several lines (TanStack's `refetch: (\n  options?:
 * RefetchOptions,\n) => Promise<…>`, a union written one member per line), in a language whose
 * types ignore line breaks (one with type argument lists): in its densest form it reads the same on
 * one line. Not where braces (an object type's members, one per line), a comment or a string could
 * make one line mean something else.
 */
function foldableField(def: Definition, text: string, lineComment: string | undefined): boolean {
  if (def.kind !== "field" || def.bodySpan || def.valueSpan) return false;
  const decl = text.slice(def.span.startOffset, def.span.endOffset);
  // The language's own line comment: `#` starts one in Python but names a private field in TypeScript.
  return decl.includes("\n") && !/[{}]|\/\*|`|"|'/.test(decl) && !(lineComment && decl.includes(lineComment));
}

/** `text[a, z)` as shown, with the parts inside `folds` (sorted) on one line. */
function folded(text: string, a: number, z: number, folds: ReadonlyArray<[number, number]>): string {
  let out = "";
  let pos = a;
  for (const [fa, fz] of folds) {
    if (fz <= pos || fa >= z) continue;
    const lo = Math.max(pos, fa);
    const hi = Math.min(z, fz);
    out += text.slice(pos, lo) + oneLine(text.slice(lo, hi));
    pos = hi;
  }
  return out + text.slice(pos, z);
}

/**
 * A span's line breaks as spaces, without the space after an opening bracket or the trailing
 * comma before a closing one (`(`, and the `<` and `[` of type lists).
 */
function oneLine(s: string): string {
  return s.replace(/([(<[])\s*\n\s*/g, "$1").replace(/,?\s*\n\s*([)>\]])/g, "$1").replace(/\s*\n\s*/g, " ");
}

/**
 * A type parameter or argument list written over lines that reads the same on one line: no
 * braces (an object type's members, one per line), comment or string.
 */
function foldableList(list: string): boolean {
  return list.includes("\n") && !/[{}]|\/\/|\/\*|#|`|"|'/.test(list);
}

/** The forms that show a unit's code as written. */
const WHOLE: readonly UnitMode[] = ["full", "trimmed"];

/** A value of more lines than this is elided outside the "full" form. */
const LONG_VALUE_LINES = 3;
/**
 * A value longer than this is elided in the densest form too, whatever its lines (a regular
 * expression, a list of names): a guess is ranked by what it costs without its value (pack.ts
 * denseChars), and was then shown with it. bench:context recall at 512, seeds 7 / 13 / 17: 0.866 /
 * 0.859 / 0.858 → 0.869 / 0.864 / 0.863; precision in tokens at 6,000: 0.265 / 0.238 / 0.255 →
 * 0.268 / 0.241 / 0.259 (values of two or three lines alone: 0.870 / 0.860 / 0.862; 30 characters
 * measured as 60).
 */
const LONG_VALUE_CHARS = 60;

/**
 * Whether a form other than the whole ones shows `def`'s value as the language's elision marker
 * (a value of more than LONG_VALUE_LINES lines; in the densest form, one of more than
 * LONG_VALUE_CHARS characters too). Rendering and the engine's cost of a guess both ask this.
 */
export function valueElided(def: Definition, text: string, mode: UnitMode): boolean {
  if (!def.valueSpan || WHOLE.includes(mode)) return false;
  return lineCount(text, def.valueSpan) > LONG_VALUE_LINES || (mode === "signature" && def.valueSpan.endOffset - def.valueSpan.startOffset > LONG_VALUE_CHARS);
}

function lineCount(text: string, span: { startOffset: number; endOffset: number }): number {
  let n = 1;
  for (let i = span.startOffset; i < span.endOffset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** The indentation of the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * The edit that elides one definition's body. A docstring inside the body (Python) is kept, and
 * the elision then goes on its own line at the body's indentation.
 */
function bodyElision(def: Definition, text: string, elidedBody: string, keepDoc: boolean): Edit | undefined {
  const body = def.bodySpan;
  if (!body || body.endOffset <= body.startOffset) return undefined;
  // NOTE: an indentation-delimited body follows a ":" and the conventions' elidedBody starts with
  // ":" then; the colon is already in the text, so only the rest replaces the body.
  const before = text.slice(Math.max(0, body.startOffset - 200), body.startOffset);
  const afterColon = /:\s*$/.test(before) && elidedBody.trimStart().startsWith(":");
  const marker = afterColon ? elidedBody.trimStart().slice(1).trim() : elidedBody;
  if (keepDoc && def.docSpan && def.docSpan.startOffset >= body.startOffset && def.docSpan.endOffset <= body.endOffset) {
    return { start: def.docSpan.endOffset, end: body.endOffset, text: `\n${indentAt(text, def.docSpan.startOffset)}${marker}` };
  }
  // After the colon, the elision goes on the header's line (`def f(x): ...`): a line break and
  // an indentation per elided unit is a token or two the model learns nothing from.
  const gap = /:([ \t]*\r?\n[ \t]*)$/.exec(before);
  if (gap) return { start: body.startOffset - gap[1]!.length, end: body.endOffset, text: ` ${marker}` };
  return { start: body.startOffset, end: body.endOffset, text: marker };
}

/** Edits removing the whole lines of a container's body that hold only a line comment. */
function commentLines(def: Definition, members: readonly Definition[], text: string, lineComment: string | undefined): Edit[] {
  // A body of comments alone would be left empty (and not parse).
  if (!lineComment || !def.bodySpan || !members.length) return [];
  const out: Edit[] = [];
  const end = def.bodySpan.endOffset;
  let lineStart = text.lastIndexOf("\n", def.bodySpan.startOffset) + 1;
  if (lineStart <= def.bodySpan.startOffset) lineStart = text.indexOf("\n", def.bodySpan.startOffset) + 1;
  // Lines are walked once, jumping over each member (members come in source order).
  const spans = members.map((m) => m.span).sort((a, b) => a.startOffset - b.startOffset);
  let next = 0;
  while (lineStart > 0 && lineStart < end) {
    const nl = text.indexOf("\n", lineStart);
    const lineEnd = nl < 0 ? text.length : nl + 1;
    if (lineEnd > end) break;
    while (next < spans.length && spans[next]!.endOffset <= lineStart) next++;
    const member = spans[next];
    if (member && member.startOffset < lineEnd) {
      // Skip to the line after the member.
      const after = text.indexOf("\n", member.endOffset);
      lineStart = after < 0 ? end : Math.max(lineEnd, after + 1);
      continue;
    }
    const inDoc = def.docSpan && def.docSpan.startOffset < lineEnd && def.docSpan.endOffset > lineStart;
    if (!inDoc && text.slice(lineStart, lineEnd).trimStart().startsWith(lineComment)) out.push({ start: lineStart, end: lineEnd, text: "" });
    lineStart = lineEnd;
  }
  return out;
}

/**
 * Edits removing every line of a container's body that holds none of `kept`: all but the header
 * line (where the body opens) and the line where it closes. Lines are removed whole, so what is
 * left still parses.
 */
function strayLines(def: Definition, kept: readonly Definition[], text: string): Edit[] {
  const body = def.bodySpan!;
  if (!kept.length) return [];
  const lineOf = (offset: number): [number, number] => {
    const start = text.lastIndexOf("\n", offset - 1) + 1;
    const nl = text.indexOf("\n", offset);
    return [start, nl < 0 ? text.length : nl + 1];
  };
  const first = lineOf(body.startOffset);
  const last = lineOf(Math.max(body.startOffset, body.endOffset - 1));
  // A body delimited by brackets keeps the lines of its delimiters; an indentation-delimited one
  // starts with its first statement, which may go unless it shares the header's line.
  const delimited = /[{([]/.test(text[body.startOffset] ?? "");
  const sharesHeaderLine = text.slice(first[0], body.startOffset).trim() !== "";
  let lineStart = delimited || sharesHeaderLine ? first[1] : first[0];
  const end = delimited ? last[0] : last[1];
  const keep: Array<[number, number]> = kept.map((m) => [lineOf(m.span.startOffset)[0], lineOf(Math.max(m.span.startOffset, m.span.endOffset - 1))[1]]);
  const out: Edit[] = [];
  // A member written inside a block of the body (pickle's `if _HAVE_PICKLE_BUFFER:\n    def
  // save_picklebuffer`) loses that block's line: it moves out to the body's own indentation, or
  // it would stand indented under nothing, which Python rejects.
  if (!delimited && !sharesHeaderLine) {
    const indentAt = (a: number): string => /^[ \t]*/.exec(text.slice(a, lineOf(a)[1]))![0];
    const base = indentAt(first[0]).length;
    for (const [a, z] of keep) {
      const extra = indentAt(a).length - base;
      if (extra <= 0) continue;
      for (let at = a; at < z; at = lineOf(at)[1]) if (indentAt(at).length >= base + extra && text.slice(at, lineOf(at)[1]).trim() !== "") out.push({ start: at, end: at + extra, text: "" });
    }
  }
  while (lineStart < end) {
    const lineEnd = lineOf(lineStart)[1];
    const held = keep.some(([a, z]) => a < lineEnd && z > lineStart);
    if (!held && text.slice(lineStart, lineEnd).trim() !== "") out.push({ start: lineStart, end: Math.min(lineEnd, end), text: "" });
    lineStart = lineEnd;
  }
  return out;
}

/**
 * The overload declarations of a class outline after the first of each name: rxjs' Observable
 * declares `pipe` eleven times (one to nine operators), which cost 400 tokens of an outline that
 * says what the class offers, not each arity. The implementation (with a body) stays.
 */
function laterOverloads(members: readonly Definition[]): Set<Definition> {
  const seen = new Set<string>();
  const out = new Set<Definition>();
  for (const m of members) {
    if (m.bodySpan || (m.kind !== "function" && m.kind !== "method")) continue;
    if (seen.has(m.name)) out.add(m);
    seen.add(m.name);
  }
  return out;
}

/** Removes a member with its line's indentation and trailing separator. */
function removal(m: Definition, text: string): Edit {
  const lineStart = text.lastIndexOf("\n", m.span.startOffset - 1) + 1;
  const start = /^[ \t]*$/.test(text.slice(lineStart, m.span.startOffset)) ? lineStart : m.span.startOffset;
  let end = m.span.endOffset;
  const nl = text.indexOf("\n", end);
  if (nl >= 0 && /^[ \t;,]*$/.test(text.slice(end, nl))) end = nl + 1;
  return { start, end, text: "" };
}

/** `[start, end)` minus the edited ranges. */
function subtract(start: number, end: number, edits: Edit[]): ShownRange[] {
  const out: ShownRange[] = [];
  let pos = start;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    if (e.end <= pos || e.start >= end) continue;
    if (e.start > pos) out.push({ startOffset: pos, endOffset: e.start });
    pos = Math.max(pos, e.end);
  }
  if (pos < end) out.push({ startOffset: pos, endOffset: end });
  return out;
}

/**
 * Removes the indentation a nested unit had in its file, so a method shown alone starts at
 * column 0 (indentation-sensitive languages would not parse it otherwise).
 */
function dedent(rendered: string, text: string, start: number): string {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const indent = text.slice(lineStart, start);
  if (!indent || !/^[ \t]+$/.test(indent)) return rendered;
  return rendered
    .split("\n")
    .map((line, i) => (i === 0 ? line : line.startsWith(indent) ? line.slice(indent.length) : line.trimStart() === "" ? "" : line))
    .join("\n");
}
