import type Parser from "tree-sitter";
import type { SourceDocument } from "./document.js";
import { parserFor } from "./registry.js";

/**
 * Error recovery for definitions. Tree-sitter's own recovery sometimes wraps everything after a
 * syntax error in one ERROR node (`function f( {` swallows the rest of a JavaScript file). The
 * text inside such a node is cut into chunks at lines that start at the node's smallest
 * indentation, and each chunk is parsed on its own (with `includedRanges`, so offsets stay those of
 * the document). Definitions found in chunks that parse cleanly are then reported as usual.
 */

const MAX_CHUNKS = 400;
const MAX_DEPTH = 3;
const cache = new WeakMap<Parser.Tree, Parser.Tree[]>();

/** Extra trees covering the parts of a document hidden inside multi-line ERROR nodes. */
export function recoveryTrees(src: SourceDocument, tree: Parser.Tree): Parser.Tree[] {
  if (!tree.rootNode.hasError) return [];
  const cached = cache.get(tree);
  if (cached) return cached;
  const parser = parserFor(src.language);
  const out: Parser.Tree[] = [];
  if (parser) {
    const budget = { chunks: MAX_CHUNKS };
    for (const err of errorNodes(tree.rootNode)) recover(src, parser, err.startIndex, err.endIndex, 0, out, budget);
  }
  cache.set(tree, out);
  return out;
}

/** The outermost ERROR nodes that span several lines. */
function errorNodes(root: Parser.SyntaxNode): Parser.SyntaxNode[] {
  const out: Parser.SyntaxNode[] = [];
  const visit = (n: Parser.SyntaxNode): void => {
    if (!n.hasError) return;
    if (n.type === "ERROR") {
      if (n.endPosition.row > n.startPosition.row) out.push(n);
      return;
    }
    for (const c of n.children) visit(c);
  };
  visit(root);
  return out;
}

function recover(
  src: SourceDocument,
  parser: Parser,
  start: number,
  end: number,
  depth: number,
  out: Parser.Tree[],
  budget: { chunks: number },
): void {
  if (depth >= MAX_DEPTH) return;
  const text = src.text;
  // Line starts in the region (the first line counts from its own start).
  const firstLine = src.positionAt(start).line;
  const lastLine = src.positionAt(end).line;
  const lines: Array<{ offset: number; indent: number }> = [];
  for (let l = firstLine; l <= lastLine; l++) {
    const lineStart = src.offsetAt({ line: l, character: 0 });
    const content = src.lineText(l);
    const trimmed = content.trimStart();
    if (trimmed === "" || /^[)\]}]/.test(trimmed)) continue;
    lines.push({ offset: Math.max(lineStart, start), indent: content.length - trimmed.length });
  }
  if (lines.length < 2) return;
  const indent = Math.min(...lines.map((l) => l.indent));
  const cuts = lines.filter((l) => l.indent === indent).map((l) => l.offset);
  if (cuts.length < 2 && depth > 0) return;
  for (let i = 0; i < cuts.length && budget.chunks > 0; i++) {
    const chunkStart = cuts[i];
    const chunkEnd = i + 1 < cuts.length ? cuts[i + 1] : end;
    if (chunkEnd <= chunkStart) continue;
    budget.chunks--;
    let chunk: Parser.Tree;
    try {
      chunk = parser.parse(src.parseInput, undefined, { includedRanges: [range(src, chunkStart, chunkEnd)] });
    } catch {
      continue;
    }
    if (!chunk.rootNode.hasError) out.push(chunk);
    else {
      // Keep what parsed, and look one level deeper inside what did not.
      out.push(chunk);
      const lineEnd = text.indexOf("\n", chunkStart);
      if (lineEnd !== -1 && lineEnd + 1 < chunkEnd) recover(src, parser, lineEnd + 1, chunkEnd, depth + 1, out, budget);
    }
  }
}

function range(src: SourceDocument, start: number, end: number): Parser.Range {
  const s = src.positionAt(start);
  const e = src.positionAt(end);
  return {
    startIndex: start,
    endIndex: end,
    startPosition: { row: s.line, column: s.character },
    endPosition: { row: e.line, column: e.character },
  };
}
