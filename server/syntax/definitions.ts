import type Parser from "tree-sitter";
import * as documentModule from "./document.js";
import type { SourceDocument } from "./document.js";
import { recoveryTrees } from "./recovery.js";
import { conventionsFor, queryCaptureNames, queryFor } from "./registry.js";
import { nodeSpan, sourceOf, spanOf } from "./source.js";
import type { Definition, DefinitionKind, LanguageConventions, Pos, Span, Stub, SyntaxDocument } from "./types.js";
import { lastAtOrBefore } from "../text/search.js";

/**
 * Definitions and stubs, driven by grammars/<language>/definitions.scm and the "docComment" and
 * "stubs" fields of conventions.json. Nothing here knows a particular language.
 */

const KINDS = new Set<DefinitionKind>([
  "function", "method", "class", "interface", "struct", "enum", "trait", "type", "module", "variable", "constant", "field",
]);
/** Kinds which name a container for what they hold. */
const CONTAINER_KINDS = new Set<DefinitionKind>(["class", "interface", "struct", "enum", "trait", "module"]);
/** Kinds whose functions are methods (a function in a module stays a function). */
const METHOD_HOLDERS = new Set<string>(["class", "interface", "struct", "enum", "trait", "scope"]);
const CALLABLE_KINDS = new Set<DefinitionKind>(["function", "method"]);

interface RawDefinition {
  node: Parser.SyntaxNode;
  /** Which tree the node belongs to ("m" for the document's tree). */
  prefix: string;
  kind: DefinitionKind | "scope";
  name?: Parser.SyntaxNode;
  parameters?: Parser.SyntaxNode;
  returnType?: Parser.SyntaxNode;
  body?: Parser.SyntaxNode;
  doc?: Parser.SyntaxNode;
  container?: Parser.SyntaxNode;
  /** The query marked it @not_stub (constructors). */
  notStub?: boolean;
}

/** How far past an offset a definition may start while its doc comment or decorators hold the offset. */
const LOOKAHEAD = 4096;

/** Every definition of a document, in source order (outer before inner). */
export function definitions(doc: SyntaxDocument): Definition[] {
  const src = sourceOf(doc);
  const tree = src.tree;
  if (!tree) return [];
  return analysisOf(src, tree).defs;
}

/** Every function or method of a document that is waiting for its body. */
export function stubs(doc: SyntaxDocument): Stub[] {
  const src = sourceOf(doc);
  const tree = src.tree;
  if (!tree) return [];
  const analysis = analysisOf(src, tree);
  analysis.stubs ??= analysis.candidates.filter((c) => !declaredByHolder(src, c));
  return analysis.stubs;
}

/** A definition with the start of its own node, which orders definitions that share a span start. */
interface Entry {
  def: Definition;
  start: number;
}

/**
 * What one top-level node of the tree holds: its definitions and stub candidates (stubs before the
 * check that needs the enclosing definition). Nothing in it depends on other top-level nodes except
 * doc comments, which come from the comments right above (handled by re-computing the node after a
 * changed comment as well).
 */
interface Segment {
  start: number;
  /** The position of `start`, which tells whether the lines above changed. */
  startPos: Pos;
  end: number;
  type: string;
  entries: Entry[];
  candidates: Stub[];
}

/**
 * The definitions of one tree, with the per-top-level-node segments of the tree itself (without
 * error recovery) when known.
 */
interface Analysis {
  defs: Definition[];
  candidates: Stub[];
  segments?: Segment[];
  stubs?: Stub[];
}

const analyses = new WeakMap<Parser.Tree, Analysis>();
/**
 * The last analysed tree of each document. Applying a change edits that very tree object in place
 * (SourceDocument.applyChanges) before re-parsing with it, so on the next request its top-level
 * children tell, shifted and flagged `hasChanges`, which segments the edit left alone.
 * NOTE: this keeps the previous tree alive until the next analysis; an incremental re-parse shares
 * every unchanged subtree with it, so that costs little native memory.
 */
const lastAnalysed = new WeakMap<SourceDocument, { tree: Parser.Tree; version: number; analysis: Analysis }>();
// A document that lets its tree go to save memory must not keep the previous one alive here.
// NOTE: looked up on the module namespace so this works before and after document.ts offers it.
(documentModule as unknown as { onTreeDropped?: (listener: (doc: SourceDocument) => void) => void }).onTreeDropped?.((doc) => {
  lastAnalysed.delete(doc);
});

/**
 * The analysis of a document's current tree: cached per tree; after an edit, only the top-level
 * nodes the edit touched are queried again and the other segments are reused with shifted spans.
 */
function analysisOf(src: SourceDocument, tree: Parser.Tree): Analysis {
  const hit = analyses.get(tree);
  if (hit) return hit;
  const last = lastAnalysed.get(src);
  // Only the direct predecessor tree describes the edit (one applyChanges per version step).
  const reusable = last && last.tree !== tree && last.version + 1 === src.version && last.analysis.segments ? last : undefined;
  const segments = reusable ? incrementalSegments(src, tree, reusable.tree, reusable.analysis.segments!) : undefined;
  let analysis: Analysis;
  if (recoveryTrees(src, tree).length > 0) {
    // Error recovery looks at the whole tree, so the result is computed in full; the segments of
    // the tree itself are still kept, so the edit that fixes the error is incremental again.
    analysis = fullAnalysis(src, tree);
    analysis.segments = segments;
  } else analysis = segments ? assemble(segments) : fullAnalysis(src, tree);
  analyses.set(tree, analysis);
  lastAnalysed.set(src, { tree, version: src.version, analysis });
  return analysis;
}

function fullAnalysis(src: SourceDocument, tree: Parser.Tree): Analysis {
  const raws = rawDefinitions(src, tree);
  // Error recovery parses regions of the whole tree again; without it, segments are independent.
  const segments = recoveryTrees(src, tree).length > 0 ? undefined : segmentsOf(src, tree.rootNode.children, raws);
  if (segments) return assemble(segments);
  const entries = sortEntries(buildEntries(src, raws));
  const defs = entries.map((e) => e.def);
  return { defs, candidates: stubCandidates(src, defs, raws.values()) };
}

/**
 * Splits the raw definitions of whole top-level nodes by node and builds each node's segment, or
 * returns undefined when a definition spans several top-level nodes (then nothing is reused).
 */
function segmentsOf(src: SourceDocument, children: Parser.SyntaxNode[], raws: Map<NodeKey, RawDefinition>): Segment[] | undefined {
  const parts = children.map(() => new Map<NodeKey, RawDefinition>());
  const starts = children.map((c) => c.startIndex);
  for (const [key, raw] of raws) {
    // The last child starting at or before the definition must also hold its end.
    const at = lastAtOrBefore(starts, raw.node.startIndex);
    if (at === -1 || raw.node.endIndex > children[at].endIndex) return undefined;
    parts[at].set(key, raw);
  }
  const wrappers = wrappersOf(raws);
  return children.map((child, i) => {
    wrapperMaps.set(parts[i], wrappers);
    const entries = sortEntries(buildEntries(src, parts[i]));
    const defs = entries.map((e) => e.def);
    return { start: child.startIndex, startPos: src.positionAt(child.startIndex), end: child.endIndex, type: child.type, entries, candidates: stubCandidates(src, defs, parts[i].values()) };
  });
}

/** Definitions and stub candidates of every segment, in source order. */
function assemble(segments: Segment[]): Analysis {
  const entries = sortEntries(segments.flatMap((s) => s.entries));
  return { defs: entries.map((e) => e.def), candidates: segments.flatMap((s) => s.candidates), segments };
}

/**
 * The segments of `tree`: those of the previous tree for top-level nodes the edit left alone,
 * and fresh ones for the others (the query runs over their range only). Returns undefined when
 * the nodes do not line up.
 */
function incrementalSegments(src: SourceDocument, tree: Parser.Tree, oldTree: Parser.Tree, oldSegments: Segment[]): Segment[] | undefined {
  // The old tree must be the one the edit was applied to (it is not when the document re-parsed
  // from scratch in between, for instance after letting its tree go to save memory).
  if (!oldTree.rootNode.hasChanges) return undefined;
  const oldChildren = oldTree.rootNode.children;
  if (oldChildren.length !== oldSegments.length) return undefined;
  // Old top-level nodes untouched by the edit, by their (shifted) place in the new text.
  const untouched = new Map<string, { segment: Segment; delta: number }>();
  oldChildren.forEach((c, i) => {
    const seg = oldSegments[i];
    const delta = c.startIndex - seg.start;
    if (!c.hasChanges && c.endIndex - seg.end === delta) untouched.set(`${c.startIndex}:${c.endIndex}:${c.type}`, { segment: seg, delta });
  });
  const changed = tree.getChangedRanges(oldTree);
  const children = tree.rootNode.children;
  const reuse = children.map((c) => {
    const hit = untouched.get(`${c.startIndex}:${c.endIndex}:${c.type}`);
    if (!hit) return undefined;
    if (changed.some((r) => r.startIndex < c.endIndex && c.startIndex < r.endIndex)) return undefined;
    return hit;
  });
  // A changed comment (or decorator) changes the doc comment of the definition below it.
  const conv = conventionsFor(src.language);
  const alongside = new Set([...(conv?.commentNodeTypes ?? ["comment"]), ...(conv?.docComment?.skipNodeTypes ?? [])]);
  const touched = reuse.map((r) => !r);
  for (let i = 0; i < children.length; i++) {
    if (!touched[i]) continue;
    let j = i + 1;
    while (j < children.length && alongside.has(children[j].type)) reuse[j++] = undefined;
    if (j < children.length) reuse[j] = undefined;
  }
  const first = reuse.findIndex((r) => !r);
  const segments: Segment[] = [];
  if (first === -1) {
    children.forEach((_, i) => segments.push(shifted(src, reuse[i]!.segment, reuse[i]!.delta)));
    return segments;
  }
  let lastDirty = first;
  for (let i = children.length - 1; i > first; i--) {
    if (!reuse[i]) {
      lastDirty = i;
      break;
    }
  }
  const query = queryFor(src.language, "definitions");
  if (!query) return undefined;
  const range = { start: children[first].startIndex, end: children[lastDirty].endIndex };
  const found = new Map<NodeKey, RawDefinition>();
  collect(query, tree, "m", found, range);
  const inside = new Map<NodeKey, RawDefinition>();
  for (const [key, raw] of found) if (raw.node.startIndex >= range.start && raw.node.endIndex <= range.end) inside.set(key, raw);
  wrapperMaps.set(inside, wrappersOf(found));
  const fresh = segmentsOf(src, children.slice(first, lastDirty + 1), inside);
  if (!fresh) return undefined;
  for (let i = 0; i < first; i++) segments.push(shifted(src, reuse[i]!.segment, reuse[i]!.delta));
  segments.push(...fresh);
  for (let i = lastDirty + 1; i < children.length; i++) segments.push(shifted(src, reuse[i]!.segment, reuse[i]!.delta));
  return segments;
}

/** A segment moved by `delta` characters, with positions from the current line index. */
function shifted(src: SourceDocument, seg: Segment, delta: number): Segment {
  const startPos = src.positionAt(seg.start + delta);
  // Above the edit nothing moved: the segment (immutable once built) is shared as it is.
  if (delta === 0 && startPos.line === seg.startPos.line && startPos.character === seg.startPos.character) return seg;
  const move = (s: Span): Span => spanOf(src, s.startOffset + delta, s.endOffset + delta);
  const moveDef = <T extends Definition>(d: T): T => {
    const out: T = { ...d, span: move(d.span), nameSpan: move(d.nameSpan) };
    if (d.docSpan) out.docSpan = move(d.docSpan);
    if (d.bodySpan) out.bodySpan = move(d.bodySpan);
    if (d.valueSpan) out.valueSpan = move(d.valueSpan);
    return out;
  };
  return {
    start: seg.start + delta,
    startPos,
    end: seg.end + delta,
    type: seg.type,
    entries: seg.entries.map((e) => ({ def: moveDef(e.def), start: e.start + delta })),
    candidates: seg.candidates.map(moveDef),
  };
}

/**
 * The innermost definition whose span holds `offset` (end inclusive, so a cursor after `}`
 * counts). When the document's definitions are not computed yet for this tree, only the
 * definitions around the offset are looked up, so a completion request after a keystroke does not
 * pay for the whole file.
 */
export function enclosingDefinition(doc: SyntaxDocument, offset: number): Definition | undefined {
  const src = sourceOf(doc);
  const tree = src.tree;
  if (!tree) return undefined;
  let candidates = analyses.get(tree)?.defs;
  if (!candidates) {
    // Definitions holding the offset intersect [offset, offset + 1); a definition whose doc
    // comment, decorators or `export` hold it starts a little later: look a window ahead.
    const end = offset + LOOKAHEAD;
    candidates = sortEntries(buildEntries(src, rawDefinitions(src, tree, { start: offset, end }))).map((e) => e.def);
  }
  let best: Definition | undefined;
  for (const d of candidates) {
    if (d.span.startOffset <= offset && offset <= d.span.endOffset) {
      if (!best || d.span.endOffset - d.span.startOffset <= best.span.endOffset - best.span.startOffset) best = d;
    }
  }
  return best;
}

/** A key for a node that is unique across the main tree and the recovery trees. */
type NodeKey = string;

/** The wrappers found by `@wrapper`/`@wrapped` captures, kept alongside a raw definition map. */
const wrapperMaps = new WeakMap<Map<NodeKey, RawDefinition>, Map<NodeKey, Parser.SyntaxNode>>();

function wrappersOf(raws: Map<NodeKey, RawDefinition>): Map<NodeKey, Parser.SyntaxNode> {
  let m = wrapperMaps.get(raws);
  if (!m) wrapperMaps.set(raws, (m = new Map()));
  return m;
}

const rawCache = new WeakMap<Parser.Tree, Map<NodeKey, RawDefinition>>();

/**
 * Every definition match of the document, merged per node, including those that error recovery
 * found inside ERROR regions (see recovery.ts) when they do not duplicate one already found.
 */
function rawDefinitions(src: SourceDocument, tree: Parser.Tree, range?: { start: number; end: number }): Map<NodeKey, RawDefinition> {
  const hit = range ? undefined : rawCache.get(tree);
  if (hit) return hit;
  const all = new Map<NodeKey, RawDefinition>();
  const query = queryFor(src.language, "definitions");
  if (query) {
    collect(query, tree, "m", all, range);
    const known = new Set([...all.values()].map((r) => r.name?.startIndex));
    recoveryTrees(src, tree).forEach((extra, i) => {
      const found = new Map<NodeKey, RawDefinition>();
      collect(query, extra, `r${i}`, found, range);
      for (const [key, raw] of found) {
        if (raw.name && known.has(raw.name.startIndex)) continue;
        if (raw.name) known.add(raw.name.startIndex);
        all.set(key, raw);
      }
      for (const [key, wrapper] of wrappersOf(found)) wrappersOf(all).set(key, wrapper);
    });
  }
  if (!range) rawCache.set(tree, all);
  return all;
}

function keyOf(prefix: string, node: Parser.SyntaxNode): NodeKey {
  return `${prefix}:${node.id}`;
}

function collect(
  query: Parser.Query,
  tree: Parser.Tree,
  prefix: string,
  byId: Map<NodeKey, RawDefinition>,
  range?: { start: number; end: number },
): void {
  const options = range ? pointRange(tree, range.start, range.end) : undefined;
  for (const match of query.matches(tree.rootNode, options)) {
    let raw: RawDefinition | undefined;
    const parts: Partial<RawDefinition> = {};
    for (const { name, node } of match.captures) {
      if (name.startsWith("definition.")) {
        const kind = name.slice("definition.".length) as DefinitionKind;
        if (KINDS.has(kind)) raw = { node, kind, prefix };
      } else if (name === "scope") raw = { node, kind: "scope", prefix };
      else if (name === "name") parts.name ??= node;
      else if (name === "parameters") parts.parameters ??= node;
      else if (name === "return_type") parts.returnType ??= node;
      else if (name === "body") parts.body ??= node;
      else if (name === "doc") parts.doc ??= node;
      else if (name === "container") parts.container ??= node;
      else if (name === "not_stub") parts.notStub = true;
    }
    if (!raw) {
      // A wrapper match (`export`, decorators): remember which node wraps which definition.
      const wrapper = match.captures.find((c) => c.name === "wrapper")?.node;
      const wrapped = match.captures.find((c) => c.name === "wrapped")?.node;
      if (wrapper && wrapped) wrappersOf(byId).set(keyOf(prefix, wrapped), wrapper);
      continue;
    }
    const key = keyOf(prefix, raw.node);
    const prev = byId.get(key);
    if (!prev) {
      byId.set(key, { ...parts, ...raw });
      continue;
    }
    // The same node matched several patterns (a const holding an arrow function is both a
    // variable and a function): keep the more specific kind and every part found.
    if (prev.kind === "variable" || prev.kind === "scope") prev.kind = raw.kind;
    prev.name ??= parts.name;
    prev.parameters ??= parts.parameters;
    prev.returnType ??= parts.returnType;
    prev.body ??= parts.body;
    prev.doc ??= parts.doc;
    prev.container ??= parts.container;
    prev.notStub ||= parts.notStub;
  }
}

/**
 * Query options covering at least the offsets [start, end), as points taken from the tree.
 * NOTE: node tree-sitter passes `startIndex`/`endIndex` of a query to tree-sitter as bytes
 * without converting from UTF-16 units (as it does for point columns and node methods), so a
 * range given by index selects the wrong part of the file; points are converted correctly.
 */
export function pointRange(tree: Parser.Tree, start: number, end: number): { startPosition: Parser.Point; endPosition: Parser.Point } {
  const root = tree.rootNode;
  const from = Math.max(0, Math.min(start, root.endIndex));
  const to = Math.max(from, Math.min(end, root.endIndex) - 1);
  return { startPosition: root.descendantForIndex(from).startPosition, endPosition: root.descendantForIndex(to).endPosition };
}

function buildEntries(src: SourceDocument, raws: Map<NodeKey, RawDefinition>): Entry[] {
  const conv = conventionsFor(src.language);
  // Wrappers come from the query when it captures them (cheap); otherwise from parent nodes.
  const capturedWrappers = queryCaptureNames(src.language, "definitions").has("wrapper") ? wrappersOf(raws) : undefined;
  const out: Entry[] = [];
  // One sweep in source order with a stack of the open definitions gives every definition its
  // enclosing ones (depth, container) without walking each node's ancestors natively.
  const named = [...raws.values()]
    .filter((r) => r.name)
    .map((r) => ({ raw: r, start: r.node.startIndex, end: r.node.endIndex }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const open: typeof named = [];
  for (const { raw, start: rawStart, end: rawEnd } of named) {
    while (open.length > 0 && !(open[open.length - 1].start <= rawStart && rawEnd <= open[open.length - 1].end)) open.pop();
    const enclosing = open.map((o) => o.raw);
    open.push({ raw, start: rawStart, end: rawEnd });
    if (raw.kind === "scope" || !raw.name) continue;
    let kind = raw.kind;
    // Depth counts every enclosing definition; the container is the nearest one that holds
    // members (class, trait, impl block, module).
    const depth = enclosing.length;
    let container: string | undefined = raw.container ? raw.container.text : undefined;
    const directParent: RawDefinition | undefined = enclosing[enclosing.length - 1];
    if (container === undefined) {
      for (let i = enclosing.length - 1; i >= 0; i--) {
        const outer = enclosing[i];
        if (outer.kind === "scope" || CONTAINER_KINDS.has(outer.kind as DefinitionKind)) {
          container = outer.name!.text;
          break;
        }
      }
    }
    if (kind === "function" && directParent && METHOD_HOLDERS.has(directParent.kind)) {
      kind = "method";
    }
    if (kind === "function" && raw.container) kind = "method";

    const outer = outermost(raw.node, raw.prefix, conv, capturedWrappers);
    const docNode = raw.doc ? undefined : docComment(outer, conv, src);
    const docStart = raw.doc ? undefined : docNode?.start;
    const start = Math.min(docStart ?? outer.startIndex, outer.startIndex);
    const end = Math.max(raw.node.endIndex, outer.endIndex);
    const body = raw.body ? bodySpan(src, raw, conv) : undefined;
    const sigEnd = body ? body.startOffset : raw.node.endIndex;
    const def: Definition = {
      kind,
      name: raw.name.text,
      span: spanOf(src, start, end),
      nameSpan: nodeSpan(src, raw.name),
      signature: src.slice(raw.node.startIndex, sigEnd).trimEnd(),
      depth,
    };
    if (raw.parameters) def.parameters = raw.parameters.text;
    if (raw.returnType) def.returnType = raw.returnType.text.replace(/^\s*(:|->)\s*/, "");
    if (raw.doc) {
      def.doc = raw.doc.text;
      def.docSpan = nodeSpan(src, raw.doc);
    } else if (docNode) {
      // Line comments may include their line break (tree-sitter-rust): trim it off the doc.
      const docText = src.slice(docNode.start, docNode.end).trimEnd();
      def.doc = docText;
      def.docSpan = spanOf(src, docNode.start, docNode.start + docText.length);
    }
    if (body) def.bodySpan = body;
    else if (VALUE_KINDS.has(kind)) {
      const value = valueOf(raw.name);
      if (value) def.valueSpan = nodeSpan(src, value);
    }
    if (container !== undefined) def.container = container;
    out.push({ def, start: raw.node.startIndex });
  }
  return out;
}

/** Kinds whose value may be elided in context (see `valueSpan`). */
const VALUE_KINDS = new Set<DefinitionKind>(["variable", "constant", "field"]);
/** Field names grammars give the value of a declaration or assignment (`x = 1`, `const x = 1`). */
const VALUE_FIELDS = ["value", "right"];

/** The value node a declared name is bound to, by the declaration's field names. */
function valueOf(name: Parser.SyntaxNode): Parser.SyntaxNode | undefined {
  const parent = name.parent;
  if (!parent) return undefined;
  for (const field of VALUE_FIELDS) {
    const v = parent.childForFieldName(field);
    if (v && v.startIndex >= name.endIndex) return v;
  }
  return undefined;
}

/** Source order: by span start, then by node start (a doc comment may start two spans together). */
function sortEntries(entries: Entry[]): Entry[] {
  return entries.sort((a, b) => a.def.span.startOffset - b.def.span.startOffset || a.start - b.start);
}

/** The node a definition is wrapped in (an export statement, a decorated definition), if any. */
function outermost(
  node: Parser.SyntaxNode,
  prefix: string,
  conv: LanguageConventions | undefined,
  captured: Map<NodeKey, Parser.SyntaxNode> | undefined,
): Parser.SyntaxNode {
  const wrappers = conv?.docComment?.wrapperNodeTypes ?? [];
  if (!captured && wrappers.length === 0) return node;
  const alongside = new Set([...(conv?.docComment?.skipNodeTypes ?? []), ...(conv?.commentNodeTypes ?? ["comment"])]);
  let n = node;
  // Climb only wrappers that hold this one definition (plus decorators and comments): the doc
  // comment above a grouped `type ( … )` belongs to the group, not to its first member.
  // NOTE: `parent` walks down from the root in tree-sitter, so captured wrappers are preferred.
  for (;;) {
    const parent = captured ? captured.get(keyOf(prefix, n)) : n.parent;
    if (!parent || (!captured && !wrappers.includes(parent.type))) break;
    const id = n.id;
    if (!parent.namedChildren.every((c) => c.id === id || alongside.has(c.type))) break;
    n = parent;
  }
  return n;
}

/**
 * The doc comment right above a definition: the run of adjacent comments with a doc prefix,
 * skipping decorators/attributes, and looking above wrappers such as `export`.
 */
function docComment(outer: Parser.SyntaxNode, conv: LanguageConventions | undefined, src: SourceDocument): { start: number; end: number } | undefined {
  const dc = conv?.docComment;
  if (!dc || dc.prefixes.length === 0) return undefined;
  const comments = conv?.commentNodeTypes ?? ["comment"];
  const skip = dc.skipNodeTypes ?? [];
  let n = outer;
  let sib = n.previousSibling;
  while (sib && skip.includes(sib.type)) {
    n = sib;
    sib = sib.previousSibling;
  }
  let start: number | undefined;
  let end: number | undefined;
  let below = n;
  while (sib && comments.includes(sib.type) && dc.prefixes.some((p) => sib!.text.startsWith(p))) {
    // A blank line between the comment and what follows detaches it.
    const gap = src.slice(sib.endIndex, below.startIndex);
    if ((gap.match(/\n/g)?.length ?? 0) > 1) break;
    // A comment that ends a line of code (`x = 1 // note`) is not a doc comment.
    const prev = sib.previousSibling;
    if (prev && prev.endPosition.row === sib.startPosition.row && !comments.includes(prev.type)) break;
    start = sib.startIndex;
    end ??= sib.endIndex;
    below = sib;
    // A block doc comment (/** … */) stands alone; line comments (///, //) form runs.
    if (!isLineComment(sib.text, conv)) break;
    sib = sib.previousSibling;
  }
  return start === undefined || end === undefined ? undefined : { start, end };
}

function isLineComment(text: string, conv: LanguageConventions | undefined): boolean {
  return !!conv?.lineComment && text.startsWith(conv.lineComment) && !text.trimEnd().includes("\n");
}

/** The body span, extended back over comments that sit between the signature and the body. */
function bodySpan(src: SourceDocument, raw: RawDefinition, conv: LanguageConventions | undefined): Definition["bodySpan"] {
  const body = raw.body!;
  return spanOf(src, leadingComments(body, conv)[0]?.startIndex ?? body.startIndex, body.endIndex);
}

/** Comment siblings right before `body` inside the same parent (Python's `# TODO` before `pass`). */
function leadingComments(body: Parser.SyntaxNode, conv: LanguageConventions | undefined): Parser.SyntaxNode[] {
  const comments = conv?.commentNodeTypes ?? ["comment"];
  const out: Parser.SyntaxNode[] = [];
  for (let s = body.previousSibling; s && comments.includes(s.type); s = s.previousSibling) out.unshift(s);
  return out;
}

interface CompiledStubRules {
  todo: RegExp;
  statements: Array<{ re: RegExp; reason: string }>;
  ignore: RegExp[];
  nonStubNames: Set<string>;
  transparent: Set<string>;
  constructorsNamedLikeContainer: boolean;
  nonStubSignature?: RegExp;
  nonStubContainerSignature?: RegExp;
}

const stubRuleCache = new Map<string, CompiledStubRules | null>();

function stubRules(language: string | undefined): CompiledStubRules | undefined {
  if (!language) return undefined;
  if (stubRuleCache.has(language)) return stubRuleCache.get(language) ?? undefined;
  const s = conventionsFor(language)?.stubs;
  let rules: CompiledStubRules | null = null;
  if (s) {
    try {
      rules = {
        todo: new RegExp(s.todoComment, "i"),
        statements: s.statements.map((st) => ({ re: new RegExp(st.pattern, st.flags ?? ""), reason: st.reason })),
        ignore: (s.ignoreStatements ?? []).map((st) => new RegExp(st.pattern, st.flags ?? "")),
        nonStubNames: new Set(s.nonStubNames ?? []),
        transparent: new Set(s.transparentNodeTypes ?? []),
        constructorsNamedLikeContainer: s.constructorsNamedLikeContainer ?? false,
        nonStubSignature: s.nonStubSignature ? new RegExp(s.nonStubSignature) : undefined,
        nonStubContainerSignature: s.nonStubContainerSignature ? new RegExp(s.nonStubContainerSignature) : undefined,
      };
    } catch {
      rules = null;
    }
  }
  stubRuleCache.set(language, rules);
  return rules ?? undefined;
}

/**
 * The stubs among `defs` (one segment or the whole document) before the enclosing-definition check
 * of `declaredByHolder`, which needs every definition of the document.
 */
function stubCandidates(src: SourceDocument, defs: Definition[], raws: Iterable<RawDefinition>): Stub[] {
  const rules = stubRules(src.language);
  if (!rules) return [];
  // Declaration files (type stubs) declare bodies as `...` on purpose.
  const suffixes = conventionsFor(src.language)?.stubs?.declarationFileSuffixes ?? [];
  if (suffixes.some((sfx) => src.uri.toLowerCase().endsWith(sfx))) return [];
  const conv = conventionsFor(src.language);
  const comments = new Set(conv?.commentNodeTypes ?? ["comment"]);
  // Definitions and raw matches share the body's end offset, which identifies the body node.
  const bodies = new Map<number, RawDefinition>();
  for (const raw of raws) if (raw.body) bodies.set(raw.body.endIndex, raw);
  const out: Stub[] = [];
  for (const def of defs) {
    if (!CALLABLE_KINDS.has(def.kind) || !def.bodySpan || rules.nonStubNames.has(def.name)) continue;
    const raw = bodies.get(def.bodySpan.endOffset);
    if (!raw?.body || raw.notStub) continue;
    // Abstract methods and overload signatures declare; they do not wait for a body.
    if (rules.nonStubSignature?.test(src.slice(def.span.startOffset, def.bodySpan.startOffset))) continue;
    // A constructor (named like its class) with an empty body initialises nothing on purpose.
    if (rules.constructorsNamedLikeContainer && def.container !== undefined && lastSegment(def.container) === def.name) continue;
    const body = raw.body;
    const items = [...leadingComments(body, conv), ...flatten(body, rules.transparent)];
    const reason = stubReason(items, rules, comments);
    if (reason) out.push({ ...def, bodySpan: def.bodySpan, reason });
  }
  return out;
}

/** Whether the enclosing definition declares its members (an interface, a Protocol). */
function declaredByHolder(src: SourceDocument, def: Definition): boolean {
  const re = stubRules(src.language)?.nonStubContainerSignature;
  if (!re) return false;
  const holder = enclosingDefinition(src, def.span.startOffset - 1);
  return !!holder && holder.span.endOffset >= def.span.endOffset && re.test(holder.signature);
}

/** The statements of a body, looking through wrapper nodes such as Go's statement_list. */
function flatten(node: Parser.SyntaxNode, transparent: Set<string>): Parser.SyntaxNode[] {
  const out: Parser.SyntaxNode[] = [];
  for (const child of node.namedChildren) {
    if (transparent.has(child.type)) out.push(...flatten(child, transparent));
    else out.push(child);
  }
  return out;
}

/** Why a body with these items is a stub, or undefined when it holds real code. */
function stubReason(items: Parser.SyntaxNode[], rules: CompiledStubRules, comments: Set<string>): string | undefined {
  let reason: string | undefined;
  let todo = false;
  for (const item of items) {
    if (item.type === "ERROR" || item.hasError) return undefined;
    const text = item.text.replace(/\s+/g, " ").trim();
    if (comments.has(item.type)) {
      // A comment that is not a TODO explains an intentionally empty body.
      if (!rules.todo.test(text)) return undefined;
      todo = true;
      continue;
    }
    if (rules.ignore.some((re) => re.test(text))) continue;
    const hit = rules.statements.find((s) => s.re.test(text));
    if (!hit) return undefined;
    reason ??= hit.reason;
  }
  // "not-implemented" says the most, then a TODO note, then the placeholder statement itself.
  if (reason === "not-implemented") return reason;
  return todo ? "todo-comment" : (reason ?? "empty");
}

function lastSegment(name: string): string {
  const parts = name.split(/::|\./);
  return parts[parts.length - 1];
}
