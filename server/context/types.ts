/**
 * The plain-data contract of the context engine: what a feature asks for (a target inside a
 * document, a token budget) and what it gets back (ranked, whole syntactic chunks whose token
 * counts come from a real tokenizer).
 *
 * NOTE: every offset is a UTF-16 string index into the document text, like the rest of the server.
 */
import type { Definition, Stub, SyntaxDocument } from "../syntax/types.js";

/** What the context is for. The engine ranks sources differently for each kind. */
export type ContextTarget =
  /** A function waiting for its body ("Generate implementation"). */
  | { kind: "stub"; stub: Stub }
  /** An existing function to test, document, explain or fix. */
  | { kind: "function"; definition: Definition; purpose: FunctionPurpose }
  /** A symbol under the cursor to explain (hover): its name and the offset of the identifier. */
  | { kind: "symbol"; name: string; offset: number }
  /** A cursor to complete at (completion / inline completion). */
  | { kind: "cursor"; offset: number }
  /** A selected range (custom actions on a selection). */
  | { kind: "selection"; startOffset: number; endOffset: number };

export type FunctionPurpose = "tests" | "document" | "explain" | "fix";

/** Settings-driven knobs; every field has a safe default. */
export interface ContextOptions {
  /** Glob patterns (gitignore syntax) never read into context. Default: none. */
  exclude?: string[];
  /** "file" keeps context to the current document only. Default: "workspace". */
  contextScope?: "workspace" | "file";
  /** Files larger than this are neither indexed nor read. Default: 1 MiB. */
  maxFileBytes?: number;
}

/** One request to the context engine. */
export interface ContextRequest {
  /** The document holding the target. */
  document: SyntaxDocument;
  target: ContextTarget;
  /** Upper bound on `ContextResult.totalTokens` (counted with `countTokens`). */
  budgetTokens: number;
  /** Other open documents (their unsaved text wins over the file on disk). May include `document`. */
  openDocuments?: readonly SyntaxDocument[];
  /** Workspace folder paths on disk; nothing outside them is ever read. */
  workspaceFolders?: readonly string[];
  options?: ContextOptions;
  /** Aborts the (cheap) work early; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Also return every candidate considered, with its score (for the benchmark and debugging). */
  explain?: boolean;
}

/** A definition the engine considered, and what it made of it (`ContextRequest.explain`). */
export interface ExplainedCandidate {
  filePath: string;
  name: string;
  nameOffset: number;
  source: ChunkSource;
  score: number;
  /** What packing ranked it by (the score, weighed by cost for guesses). */
  priority: number;
  guess: boolean;
  /** For guesses, the evidence the score came from (see context/guessModel.ts). */
  features?: Record<string, number>;
  /** Characters of the unit in its densest form. */
  chars: number;
  picked: boolean;
}

/** Where a chunk came from, in rank order (most needed first). */
export type ChunkSource =
  | "target" // the target itself: signature + doc (stub/function), or the cursor window
  | "outline" // the enclosing class/module with bodies elided
  | "definition" // a definition the target refers to, in the same file
  | "import" // a definition from a workspace file the document imports
  | "open-document" // a definition from another open document
  | "test-example"; // an existing test of the same module, as a style example

/** One whole syntactic unit of context. */
export interface ContextChunk {
  source: ChunkSource;
  /** Absolute path of the file it came from ("" for an untitled document). */
  filePath: string;
  /** Path relative to its workspace folder, for display in a prompt (falls back to the file name). */
  relativePath: string;
  /** Grammar id ("typescript", "python", …) when known. */
  language?: string;
  /** The text to show the model: verbatim source, or a signature with its body elided. */
  text: string;
  /** `countTokens(text)`. */
  tokens: number;
  /** The definition name this chunk holds, when it holds one. */
  symbol?: string;
  /** True when one or more bodies inside `text` were replaced by the language's elided body. */
  elided: boolean;
  /** Offsets of the unit in its source file (before elision), when it came from a file. */
  startOffset?: number;
  endOffset?: number;
  /**
   * The source ranges the text actually shows (elided bodies and members left out are not in
   * them), so a caller can tell exactly which definitions the context holds.
   */
  ranges?: Array<{ startOffset: number; endOffset: number }>;
}

/** The cursor window for completions, cut at syntactic boundaries. */
export interface CursorWindow {
  /** Text before the cursor (starts at a line/statement boundary). */
  prefix: string;
  /** Text after the cursor (ends at a line/statement boundary). */
  suffix: string;
  /** Offsets of the window in the document. */
  startOffset: number;
  endOffset: number;
}

/** What the engine returns. Deterministic for the same input. */
export interface ContextResult {
  /**
   * Chunks in rank order. The "target" chunk (when present) comes first; for a cursor target its
   * text is prefix + suffix of `cursor`.
   */
  chunks: ContextChunk[];
  /** Sum of `chunks[i].tokens`; never above the request's `budgetTokens`. */
  totalTokens: number;
  /** Set for cursor targets. */
  cursor?: CursorWindow;
  /** Every candidate considered, when the request asked to `explain`. */
  candidates?: ExplainedCandidate[];
  /**
   * Chunks rendered but left out because they did not parse (a unit the syntax layer cut short
   * while recovering from an error), so that "every chunk parses" is never bought silently.
   */
  unparsable?: number;
  /** For purpose "tests": the framework the workspace uses ("mocha", "jest", "pytest", …), when detected. */
  testFramework?: string;
  /** For purpose "tests": where tests for this module live (an existing file, or where to create one). */
  testFile?: { path: string; exists: boolean };
}
