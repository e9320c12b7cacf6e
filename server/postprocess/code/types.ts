/**
 * What the code cleaners need to know about the slot a model reply fills. Plain data: the
 * actions service builds it from the document, the syntax layer and the grammar's conventions.
 */

/** The place in a document that a model reply is going to fill. */
export interface CodeSlot {
  /** Grammar id ("typescript", "python", …), or undefined for plain text. */
  language?: string;
  /** Fence info strings that name this language ("ts", "typescript", …), lower case. */
  fenceTags: string[];
  /** The function the slot belongs to, when there is one. */
  name?: string;
  /** Document lines just before the slot (the signature, doc comment, decorators), oldest first. */
  before: string[];
  /** Document lines just after the slot (a closing brace, `end`, …), nearest first. */
  after: string[];
  lineComment: string;
  blockComment?: [string, string];
  /** One level of indentation in the document: "\t" or some spaces. */
  indentUnit: string;
  /** The indentation every line of the cleaned code gets. */
  baseIndent: string;
  /**
   * How to recognise lines the model repeated from around the slot: "body" (the default) also
   * recognises a reformatted signature; "exact" only drops lines equal to those before the slot,
   * for slots whose reply is meant to hold the signature.
   */
  echo?: "body" | "exact";
  /** The document's line ending. */
  eol: "\n" | "\r\n";
}

/** The outcome of cleaning a reply: code ready to insert, or the reason there is none. */
export type CleanResult = { ok: true; code: string } | { ok: false; reason: string };
