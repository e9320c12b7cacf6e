import { TextDocument } from "vscode-languageserver-textdocument";
import type { DocumentStore, Pos, SyntaxDocument, TextChange } from "./types.js";

/**
 * A text-only document store (incremental sync through vscode-languageserver-textdocument).
 * The syntax layer replaces this with one that also keeps a tree-sitter tree per document.
 */
class TextOnlyDocument implements SyntaxDocument {
  constructor(public doc: TextDocument) {}
  get uri() { return this.doc.uri; }
  get languageId() { return this.doc.languageId; }
  get language() { return undefined; }
  get version() { return this.doc.version; }
  get text() { return this.doc.getText(); }
  get eol(): "\n" | "\r\n" { return this.text.includes("\r\n") ? "\r\n" : "\n"; }
  offsetAt(pos: Pos) { return this.doc.offsetAt(pos); }
  positionAt(offset: number) { return this.doc.positionAt(offset); }
}

/** Creates the store of open documents. */
export function createDocumentStore(): DocumentStore {
  const docs = new Map<string, TextOnlyDocument>();
  return {
    open(uri, languageId, version, text) {
      const d = new TextOnlyDocument(TextDocument.create(uri, languageId, version, text));
      docs.set(uri, d);
      return d;
    },
    change(uri, version, changes: TextChange[]) {
      const d = docs.get(uri);
      if (!d) return undefined;
      d.doc = TextDocument.update(d.doc, changes, version);
      return d;
    },
    close(uri) { docs.delete(uri); },
    get(uri) { return docs.get(uri); },
    all() { return [...docs.values()]; },
  };
}
