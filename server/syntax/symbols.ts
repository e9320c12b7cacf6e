import type Parser from "tree-sitter";
import { pointRange } from "./definitions.js";
import { queryFor } from "./registry.js";
import { nodeSpan, perTree, sourceOf } from "./source.js";
import type { ImportRef, Reference, SyntaxDocument, TestCase } from "./types.js";

/**
 * Imports, references and test cases, driven by grammars/<language>/{imports,references,tests}.scm.
 */

/** Every import of a document with its module specifier (quotes stripped), imported names and their local names. */
export const imports: (doc: SyntaxDocument) => ImportRef[] = perTree((src, tree) => {
  const query = queryFor(src.language, "imports");
  if (!query) return [];
  // One entry per module: `import os, sys` names two modules in one statement.
  const byKey = new Map<string, { node: Parser.SyntaxNode; module: string; at: number; names: string[]; aliases: Record<string, string>; moduleAlias?: string }>();
  for (const match of query.matches(tree.rootNode)) {
    const stmt = match.captures.find((c) => c.name === "import")?.node;
    const moduleNode = match.captures.find((c) => c.name === "module")?.node;
    if (!stmt || !moduleNode) continue;
    const key = `${stmt.id}:${moduleNode.startIndex}`;
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { node: stmt, module: unquote(moduleNode.text), at: moduleNode.startIndex, names: [], aliases: {} }));
    // An @alias renames what its match imports: the name, or without one the module itself.
    const alias = match.captures.find((c) => c.name === "alias")?.node.text;
    const named = match.captures.filter((c) => c.name === "name").map((c) => c.node.text);
    for (const name of named) if (!entry.names.includes(name)) entry.names.push(name);
    if (alias !== undefined) {
      if (named.length === 1) {
        if (alias !== named[0]) entry.aliases[named[0]!] = alias;
      } else if (named.length === 0) entry.moduleAlias = alias;
    }
  }
  return [...byKey.values()]
    .sort((a, b) => a.node.startIndex - b.node.startIndex || a.at - b.at)
    .map((e) => ({ module: e.module, names: e.names, ...(Object.keys(e.aliases).length ? { aliases: e.aliases } : {}), ...(e.moduleAlias !== undefined ? { moduleAlias: e.moduleAlias } : {}), span: nodeSpan(src, e.node) }));
}, () => []);

/**
 * The identifiers and member accesses used in [startOffset, endOffset) of a document, in source
 * order, one entry per use.
 */
export function references(doc: SyntaxDocument, startOffset = 0, endOffset = Number.MAX_SAFE_INTEGER): Reference[] {
  const src = sourceOf(doc);
  const tree = src.tree;
  const query = queryFor(src.language, "references");
  if (!tree || !query) return [];
  const end = Math.min(endOffset, src.text.length);
  const byName = new Map<number, Reference & { start: number }>();
  for (const match of query.matches(tree.rootNode, pointRange(tree, startOffset, end))) {
    const nameNode = match.captures.find((c) => c.name === "name")?.node;
    if (!nameNode || nameNode.startIndex < startOffset || nameNode.endIndex > end) continue;
    const objectNode = match.captures.find((c) => c.name === "object")?.node;
    const prev = byName.get(nameNode.id);
    if (prev && (prev.object !== undefined || !objectNode)) continue;
    const ref: Reference & { start: number } = { name: nameNode.text, span: nodeSpan(src, nameNode), start: nameNode.startIndex };
    if (objectNode) ref.object = objectNode.text;
    byName.set(nameNode.id, ref);
  }
  return [...byName.values()].sort((a, b) => a.start - b.start).map(({ start: _s, ...r }) => r);
}

/** The test functions and test cases of a document (`it("…")`, `def test_…`, `func TestX`, `#[test]`). */
export const testCases: (doc: SyntaxDocument) => TestCase[] = perTree((src, tree) => {
  const query = queryFor(src.language, "tests");
  if (!query) return [];
  const byId = new Map<number, TestCase & { start: number }>();
  for (const match of query.matches(tree.rootNode)) {
    const test = match.captures.find((c) => c.name === "test")?.node;
    const name = match.captures.find((c) => c.name === "name")?.node;
    if (!test || !name || byId.has(test.id)) continue;
    byId.set(test.id, { name: unquote(name.text), span: nodeSpan(src, test), start: test.startIndex });
  }
  return [...byId.values()].sort((a, b) => a.start - b.start).map(({ start: _s, ...t }) => t);
}, () => []);

/** Strips the quotes or angle brackets around a module specifier or test name. */
function unquote(text: string): string {
  const m = /^(?:[rbfuRBFU]{0,2})("""|'''|["'`<])([\s\S]*?)("""|'''|["'`>])$/.exec(text.trim());
  return m ? m[2] : text.trim();
}
