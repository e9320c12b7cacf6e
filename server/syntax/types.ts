/**
 * The plain-data contract of the syntax layer. Only `syntax/` imports tree-sitter; the rest of
 * the server sees these types.
 *
 * NOTE: every position and offset inside the server is in UTF-16 code units (JavaScript string
 * indexes), whatever encoding was negotiated with the client. The LSP boundary converts with
 * `server/text/positions.ts` when the client negotiated utf-8 or utf-32.
 */
import type { SeparatorRepairRule } from "./separatorRepair.js";

/** A zero-based line and UTF-16 column, like an LSP position. */
export interface Pos {
  line: number;
  character: number;
}

/** A range with both positions and string offsets, so callers never recompute either. */
export interface Span {
  start: Pos;
  end: Pos;
  startOffset: number;
  endOffset: number;
}

export type DefinitionKind =
  | "function"
  | "method"
  | "class"
  | "interface"
  | "struct"
  | "enum"
  | "trait"
  | "type"
  | "module"
  | "variable"
  | "constant"
  | "field";

/** A definition found by the language's `definitions.scm` query. */
export interface Definition {
  kind: DefinitionKind;
  name: string;
  /** The whole definition, including its doc comment when there is one. */
  span: Span;
  nameSpan: Span;
  /** From the start of the definition (after doc/decorators) to just before the body. */
  signature: string;
  parameters?: string;
  returnType?: string;
  /** The doc comment or docstring text, verbatim. */
  doc?: string;
  docSpan?: Span;
  /** The body, including its delimiters (`{ … }` or the indented block). Absent for declarations. */
  bodySpan?: Span;
  /** A variable's or field's value (`x = value`), so context can elide it (a table, an object, a long pattern). */
  valueSpan?: Span;
  /** Name of the enclosing class/impl/module, when nested. */
  container?: string;
  /** Nesting depth (0 = top level). */
  depth: number;
}

/** A function or method waiting for its body. */
export interface Stub extends Definition {
  bodySpan: Span;
  /** Why it counts as a stub: "empty", "pass", "ellipsis", "todo-comment", "not-implemented". */
  reason: string;
}

/** An import statement and the module it names. */
export interface ImportRef {
  /** The module specifier exactly as written: "./util", "os.path", "crate::foo", "fmt". */
  module: string;
  /** Imported names, when the statement lists them (`import { a, b }`, `from x import a`). */
  names: string[];
  /**
   * Names bound under a name of their own: imported name → local name (`import { a as b }`,
   * `from x import a as b`; for a re-export, `export { a as b } from`, the name it exports).
   */
  aliases?: Record<string, string>;
  /** The local name a whole module is bound to, when the statement gives one (`import numpy as np`). */
  moduleAlias?: string;
  span: Span;
}

/** An identifier or member access used in a range. */
export interface Reference {
  name: string;
  /** For `a.b`, the object `a` when it is a plain identifier. */
  object?: string;
  span: Span;
}

/** A test function or test case. */
export interface TestCase {
  name: string;
  span: Span;
}

/** The conventions file of a grammar folder (grammars/<language>/conventions.json). */
export interface LanguageConventions {
  /** The language id used inside the server ("typescript", "python", …). */
  id: string;
  /** LSP languageIds clients send for it (Neovim "typescriptreact", Helix "tsx", …). */
  languageIds: string[];
  extensions: string[];
  lineComment: string;
  blockComment?: [string, string];
  /** Test file location patterns, e.g. "{dir}/{name}.test{ext}" or "tests/test_{name}.py". */
  testFilePatterns: string[];
  /** Substrings (in package manifests or test files) that reveal the test framework. */
  testFrameworkMarkers: Record<string, string[]>;
  /** Text that marks an elided body, e.g. a brace pair around a "…" comment, or ": ..." in Python. */
  elidedBody: string;
  /** An expression that stands for an elided value (`X = ...` in Python), when the language has one. */
  elidedValue?: string;
  /**
   * What ends a function shown as its bare signature, where the language has declarations without
   * a body (`;` for a TypeScript overload): cheaper than `elidedBody`.
   */
  elidedSignature?: string;
  /**
   * The brackets of type parameter and argument lists written right after a name (`Query<TData>`,
   * `f<T>(…)`): the densest forms of a unit leave them out.
   */
  typeArguments?: [string, string];
  /**
   * A line the grammar misreads without a separator before it, and the character the parser is
   * handed in place of the line's first one (server/syntax/separatorRepair.ts).
   */
  separatorRepair?: SeparatorRepairRule;
  /**
   * A regular expression for the keywords leading a definition that its densest forms leave out
   * (TypeScript's `export`, `default`, `declare`, and `public` on a member): a definition shown from
   * another file was reached through an import, so it is exported; the keyword costs a token on every guess.
   */
  denseModifiers?: string;
  /**
   * A regular expression for a container's heritage clause, matched in the text between its name
   * and its body, that a class shown only around some of its members leaves out.
   */
  denseHeritage?: string;
  /**
   * Values have declared types (TypeScript, Java, Go, Rust, C…): a body reaches members of the
   * types its parameters and locals are declared with, which weighs member guesses (guessModel.ts).
   */
  staticTypes?: boolean;
  /**
   * A regular expression for the names the language calls on its own (Python's `__eq__`,
   * `__repr__`: operators and protocols), which a body almost never writes: the guess model
   * weighs them apart from private helpers.
   */
  implicitNames?: string;
  /** The community's indentation unit, used when a file has nothing indented yet ("\t" for Go). */
  indent?: string;
  /** The npm package holding the tree-sitter grammar, e.g. "tree-sitter-typescript". */
  grammarPackage?: string;
  /** The export of that package when it holds several grammars, e.g. "tsx". */
  grammarExport?: string;
  /** A grammar folder whose .scm files are used when this folder lacks one (tsx → typescript). */
  inheritQueries?: string;
  /** Node types that are comments. */
  commentNodeTypes?: string[];
  /** Where doc comments sit: preceding comments with these prefixes, skipping decorators. */
  docComment?: {
    prefixes: string[];
    /** Siblings between the doc comment and the definition (decorators, attributes). */
    skipNodeTypes?: string[];
    /** Parents that wrap a definition (export statements): the doc comment precedes them. */
    wrapperNodeTypes?: string[];
  };
  /** What makes a body a stub, as data (see grammars/README.md). */
  stubs?: StubConventions;
  /** Node types that are blocks, for `scopeAt`. */
  blockNodeTypes?: string[];
  /** Line endings that open a block (":" in Python, "{" elsewhere), for `scopeAt` on broken code. */
  blockOpeners?: string[];
}

/** Stub detection as data: which statements and comments leave a body "waiting". */
export interface StubConventions {
  /** A regular expression (case-insensitive) that marks a comment as a TODO. */
  todoComment: string;
  /** Statements that alone make a body a stub, as regular expressions on the statement text. */
  statements: Array<{ pattern: string; flags?: string; reason: string }>;
  /** Statements that do not count (a docstring), as regular expressions on the statement text. */
  ignoreStatements?: Array<{ pattern: string; flags?: string }>;
  /** Names whose empty body is normal (TypeScript constructors with parameter properties). */
  nonStubNames?: string[];
  /** Nodes inside a body that only group statements (Go's statement_list): looked through. */
  transparentNodeTypes?: string[];
  /** A method named like its container is a constructor and never a stub (Java, C++). */
  constructorsNamedLikeContainer?: boolean;
  /**
   * A regular expression on the text before the body (decorators, modifiers, signature) that
   * marks a declaration rather than a stub: `@abstractmethod`, `@overload`.
   */
  nonStubSignature?: string;
  /** A regular expression on the enclosing definition's signature that makes its members declarations (a Python Protocol). */
  nonStubContainerSignature?: string;
  /** File name endings of declaration files, which hold no stubs (".pyi", ".d.ts"). */
  declarationFileSuffixes?: string[];
}

/** What sits at an offset, for hover and completion decisions. */
export interface NodeInfo {
  /** The tree-sitter node type of the smallest node at the offset ("identifier", "string", …). */
  type: string;
  text: string;
  isIdentifier: boolean;
  isKeyword: boolean;
  isLiteral: boolean;
  isComment: boolean;
  span: Span;
}

/** The syntactic surroundings of a cursor, for single-line vs multi-line completion. */
export interface ScopeInfo {
  /** The innermost block holding the cursor (including its delimiters), when there is one. */
  blockSpan?: Span;
  /** The innermost definition holding the cursor. */
  definition?: Definition;
  /** The cursor sits in a body that holds nothing else yet: complete several lines. */
  inEmptyBody: boolean;
  /** The cursor sits inside an expression or after code on its line: complete one line. */
  midExpression: boolean;
}

/** A syntax error found by tree-sitter (an ERROR node or a MISSING token). */
export interface ParseError {
  /** "error" for unexpected text, "missing" for a token the parser had to invent. */
  kind: "error" | "missing";
  /** A short human sentence: "Syntax error" or "Missing \";\"". */
  message: string;
  span: Span;
}

/** An LSP-style incremental or full content change, in UTF-16 positions. */
export interface TextChange {
  range?: { start: Pos; end: Pos };
  text: string;
}

/** One open document: its text, and (when its language is known and it is not too big) a tree. */
export interface SyntaxDocument {
  readonly uri: string;
  readonly languageId: string;
  /** The grammar folder id ("typescript", "python", …) or undefined for plain text. */
  readonly language: string | undefined;
  readonly version: number;
  readonly text: string;
  /** "\r\n" when the document mostly uses CRLF, else "\n". */
  readonly eol: "\n" | "\r\n";
  offsetAt(pos: Pos): number;
  positionAt(offset: number): Pos;
}

/** Keeps every open document in sync with the editor, incrementally. */
export interface DocumentStore {
  open(uri: string, languageId: string, version: number, text: string): SyntaxDocument;
  change(uri: string, version: number, changes: TextChange[]): SyntaxDocument | undefined;
  close(uri: string): void;
  get(uri: string): SyntaxDocument | undefined;
  all(): SyntaxDocument[];
}
