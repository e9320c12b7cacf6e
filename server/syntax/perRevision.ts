import { SourceDocument } from "./document.js";
import type { SyntaxDocument } from "./types.js";

/**
 * Memoises a per-document result by the document's revision. Unlike the per-tree caches, the
 * result survives the store dropping the tree of a document that was not used for a while, so
 * asking an unchanged document for its definitions again (the context engine asks every open
 * document on every request) does not parse it again.
 */
export function perRevision<T>(compute: (doc: SyntaxDocument) => T): (doc: SyntaxDocument) => T {
  const memo = new WeakMap<SourceDocument, { revision: number; value: T }>();
  return (doc) => {
    if (!(doc instanceof SourceDocument)) return compute(doc);
    const hit = memo.get(doc);
    if (hit && hit.revision === doc.revision) return hit.value;
    const value = compute(doc);
    memo.set(doc, { revision: doc.revision, value });
    return value;
  };
}
