import type Parser from "tree-sitter";
import { enclosingDefinition } from "./definitions.js";
import { conventionsFor, parserFor } from "./registry.js";
import { nodeSpan, parseText, sourceOf } from "./source.js";
import type { NodeInfo, ParseError, ScopeInfo, Span, SyntaxDocument } from "./types.js";

/**
 * Questions about one place in a document: what token is here, which block holds it, is it
 * valid code. Node-type tests use tree-sitter's naming habits shared by every grammar
 * ("…identifier", "…comment", "string…"), so no language is named here.
 */

/** Pieces of a literal (string_fragment, string_content, escape_sequence): report the literal instead. */
const PART_TYPE = /fragment|content|escape|start$|end$|delimiter/;
const LITERAL_TYPE = /(^|_)(string|number|integer|float|char|boolean|true|false|null|nil|none|undefined|literal|raw_string|heredoc)(_|$)/;

/** What sits at `offset`: the token (or the identifier just before the cursor), or undefined on whitespace / plain text. */
export function nodeInfoAt(doc: SyntaxDocument, offset: number): NodeInfo | undefined {
  const src = sourceOf(doc);
  const tree = src.tree;
  if (!tree) return undefined;
  let node = tokenAt(tree, offset);
  // A cursor right after a word ("foo|") still means that word.
  if ((!node || !contains(node, offset)) && offset > 0) {
    const before = tokenAt(tree, offset - 1);
    if (before && before.endIndex === offset && isIdentifierType(before.type)) node = before;
  }
  // Whitespace between tokens: no token here.
  if (!node || (!contains(node, offset) && node.endIndex !== offset)) return undefined;
  // Inside a string or comment, report the whole literal rather than a fragment of it (but an
  // identifier inside a template substitution stays an identifier).
  if (!isIdentifierType(node.type)) {
    let p: Parser.SyntaxNode | null = node;
    for (let i = 0; p && i < 3; p = p.parent, i++) {
      if (isCommentType(p.type, src.language) || (p.isNamed && LITERAL_TYPE.test(p.type) && !PART_TYPE.test(p.type))) {
        node = p;
        break;
      }
    }
  }
  return {
    type: node.type,
    text: node.text,
    isIdentifier: isIdentifierType(node.type),
    isKeyword: !node.isNamed && /^[A-Za-z_]+$/.test(node.type),
    isLiteral: LITERAL_TYPE.test(node.type),
    isComment: isCommentType(node.type, src.language),
    span: nodeSpan(src, node),
  };
}

/** The block around `offset`, the definition holding it, and whether to complete one line or many. */
export function scopeAt(doc: SyntaxDocument, offset: number): ScopeInfo {
  const src = sourceOf(doc);
  const conv = conventionsFor(src.language);
  const pos = src.positionAt(offset);
  const line = src.lineText(pos.line);
  const before = line.slice(0, pos.character);
  const after = line.slice(pos.character);
  // Mid-expression: code before the cursor on its line, or code (other than closers) after it.
  const midExpression = before.trim() !== "" || /[^\s)\]};,]/.test(after);
  const info: ScopeInfo = { inEmptyBody: false, midExpression };
  const definition = enclosingDefinition(src, offset);
  if (definition) info.definition = definition;

  const tree = src.tree;
  const blockTypes = new Set(conv?.blockNodeTypes ?? []);
  if (tree) {
    for (let n: Parser.SyntaxNode | null = tree.rootNode.descendantForIndex(offset); n; n = n.parent) {
      if (blockTypes.has(n.type) && n.startIndex <= offset && offset <= n.endIndex) {
        info.blockSpan = nodeSpan(src, n);
        break;
      }
    }
  }
  if (!midExpression) {
    if (info.blockSpan) info.inEmptyBody = isBlank(src.slice(info.blockSpan.startOffset, info.blockSpan.endOffset), info.blockSpan, offset);
    if (!info.inEmptyBody) info.inEmptyBody = opensEmptyBlock(src, pos.line, conv?.blockOpeners ?? []);
  }
  return info;
}

/**
 * Syntax errors (ERROR nodes and MISSING tokens) of `text` parsed as `language`, limited to those
 * touching [startOffset, endOffset). Used to validate model output before applying it; an unknown
 * language has no errors.
 */
export function parseErrors(text: string, language: string | undefined, startOffset = 0, endOffset = text.length): ParseError[] {
  if (!parserFor(language)) return [];
  const doc = parseText(text, language);
  const tree = sourceOf(doc).tree;
  if (!tree || !tree.rootNode.hasError) return [];
  const out: ParseError[] = [];
  const visit = (node: Parser.SyntaxNode): void => {
    if (node.endIndex < startOffset || node.startIndex > endOffset) return;
    if (!node.hasError && !node.isMissing) return;
    if (node.isMissing) {
      out.push({ kind: "missing", message: `Missing "${node.type}"`, span: nodeSpan(doc, node) });
      return;
    }
    if (node.type === "ERROR") {
      const snippet = node.text.split(/\r?\n/)[0].slice(0, 40);
      out.push({ kind: "error", message: snippet ? `Syntax error near "${snippet}"` : "Syntax error", span: nodeSpan(doc, node) });
      return;
    }
    for (const child of node.children) visit(child);
  };
  visit(tree.rootNode);
  return out;
}

/** The leaf token holding `offset`, or undefined when the offset falls between tokens. */
function tokenAt(tree: Parser.Tree, offset: number): Parser.SyntaxNode | undefined {
  const node = tree.rootNode.descendantForIndex(offset);
  if (!node || node.childCount > 0 || !contains(node, offset)) return undefined;
  return node;
}

function contains(node: Parser.SyntaxNode, offset: number): boolean {
  return node.startIndex <= offset && offset < node.endIndex;
}

function isIdentifierType(type: string): boolean {
  return /identifier$/.test(type) || type === "constant" || type === "word" || type === "variable_name";
}

function isCommentType(type: string, language: string | undefined): boolean {
  const types = conventionsFor(language)?.commentNodeTypes;
  return types ? types.includes(type) : /comment/.test(type);
}

/** Whether the block holds only whitespace (the cursor's own line aside). */
function isBlank(inner: string, span: Span, offset: number): boolean {
  // Strip one opening and one closing delimiter when the block has them.
  const body = inner.replace(/^[{([:]|^do\b|^then\b/, "").replace(/[})\]]$|\bend$/, "");
  return body.trim() === "" && offset >= span.startOffset;
}

/**
 * Broken code has no block yet (`def f():` then a blank line): the line above opening a block and
 * the line below not continuing it means the cursor sits in an empty body.
 */
function opensEmptyBlock(src: ReturnType<typeof sourceOf>, line: number, openers: string[]): boolean {
  if (openers.length === 0 || src.lineText(line).trim() !== "") return false;
  let above = line - 1;
  while (above >= 0 && src.lineText(above).trim() === "") above--;
  if (above < 0) return false;
  const prev = src.lineText(above).trimEnd();
  if (!openers.some((o) => prev.endsWith(o))) return false;
  let below = line + 1;
  while (below < src.lineCount && src.lineText(below).trim() === "") below++;
  if (below >= src.lineCount) return true;
  const next = src.lineText(below);
  const indent = (s: string) => s.length - s.trimStart().length;
  // The next code line is a closer or sits no deeper than the opener: the block is still empty.
  return /^\s*[})\]]/.test(next) || indent(next) <= indent(prev);
}

