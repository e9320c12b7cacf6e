import { strict as assert } from "node:assert";
import { docExamples, renderGroup, typeArgumentLists, typeParameterDefaults, type UnitMode } from "../../server/context/group.js";
import { analyzeText, conventionsOf } from "../../server/context/syntax.js";
import { parseErrors } from "../../server/syntax/index.js";
import { stubContext, workspaceFixture } from "../helpers/workspace.js";

/** `text` analysed as the engine sees a file, and its definition named `name`. */
function analyzed(text: string, language: string) {
  const a = analyzeText(text, language);
  const file = { text, definitions: a.definitions, conventions: conventionsOf(language) };
  return { file, def: (name: string) => a.definitions.find((d) => d.name === name)! };
}

/** Renders the unit `name` of `text` alone (or inside the unit `top`) in one mode. */
function renderUnit(language: string, text: string, name: string, mode: UnitMode, top = name) {
  const { file, def } = analyzed(text, language);
  return renderGroup(file, def(top), new Map([[def(name), mode]]));
}

describe("context group rendering", () => {
  it("shows the class of the target written whole with its type parameters on one line, not their defaults", () => {
    // @tanstack/query-core's QueryObserver: five parameters, each with a default a body never names.
    const text = [
      "export class QueryObserver<",
      "  TQueryFnData = unknown,",
      "  TError = DefaultError,",
      "  TQueryKey extends QueryKey = QueryKey,",
      "  TPick = (a: number) => string,",
      "> extends Subscribable<",
      "  Listener<TQueryFnData, TError>",
      "> {",
      "  refetch(options: Options<TError> = {}): Promise<TQueryFnData> {",
      '    throw new Error("not implemented");',
      "  }",
      "}",
      "",
    ].join("\n");
    const r = renderUnit("typescript", text, "refetch", "full", "QueryObserver");
    assert.match(r.text, /^export class QueryObserver<TQueryFnData, TError, TQueryKey extends QueryKey, TPick> extends Subscribable<Listener<TQueryFnData, TError>> \{\n/);
    assert.match(r.text, /refetch\(options: Options<TError> = \{\}\): Promise<TQueryFnData> \{/, "the target's own defaults stay");
    assert.deepEqual(parseErrors(r.text, "typescript"), []);
    // A list with a comment in it stays on its lines (on one line the comment would swallow the rest).
    const commentedHeader = text.replace("  TError = DefaultError,", "  TError = DefaultError, // the error");
    assert.match(renderUnit("typescript", commentedHeader, "refetch", "full", "QueryObserver").text, /^export class QueryObserver<\n  TQueryFnData,\n  TError, \/\/ the error\n/);
    const list = "<A = B<C, D>, E extends F = () => G, H>";
    assert.deepEqual(typeParameterDefaults(list, 1, list.length - 1).map(([a, z]) => list.slice(a, z)), [" = B<C, D>", " = () => G"]);
    const commented = "<A, // a = b, c\n  E = F>";
    assert.deepEqual(typeParameterDefaults(commented, 1, commented.length - 1).map(([a, z]) => commented.slice(a, z)), [" = F"], "a comment is no default");
  });

  it("moves a member written inside a block of a Python class out to the class's indentation when the block's line goes", () => {
    // pickle's _Pickler: `if _HAVE_PICKLE_BUFFER:` holds save_picklebuffer.
    const text = ["class P:", "    def save(self, obj):", "        pass", "", "    if HAVE:", "        def save_buf(self, obj):", '            """Doc."""', "            return obj", "", "    def save_none(self, obj):", "        pass", ""].join("\n");
    const { file, def } = analyzed(text, "python");
    const shown = (mode: UnitMode) => renderGroup(file, def("P"), new Map<ReturnType<typeof def>, UnitMode>([[def("save_none"), "full"], [def("save_buf"), mode]])).text;
    assert.equal(shown("signature"), "class P:\n\n    def save_buf(self, obj): ...\n\n    def save_none(self, obj):\n        pass");
    assert.equal(shown("full"), 'class P:\n\n    def save_buf(self, obj):\n        """Doc."""\n        return obj\n\n    def save_none(self, obj):\n        pass');
  });

  it("drops the docstring, comments and statements of a class shown in part, not those inside a shown body", () => {
    const text = [
      "class Box:",
      '    """A box."""',
      "",
      "    # -- worker methods: a long banner that describes members not shown --",
      "    # more prose about the workers",
      "",
      "    def open(self):",
      "        # inside a body shown verbatim",
      "        return 1",
      "",
      "    # close ()",
      "    ALIAS = make_alias(",
      "        'box')",
      "",
      "    def close(self):",
      "        return 2",
      "",
    ].join("\n");
    const { file, def } = analyzed(text, "python");
    const box = def("Box");
    const open = def("open");
    const r = renderGroup(file, box, new Map([[open, "full" as const]]));
    assert.doesNotMatch(r.text, /worker methods|more prose|close \(\)|A box|make_alias|'box'/);
    assert.match(r.text, /# inside a body shown verbatim/);
    assert.deepEqual(parseErrors(r.text, "python"), []);
    // The shown ranges leave the dropped comments out.
    const banner = text.indexOf("# -- worker");
    assert.ok(!r.ranges.some((x) => x.startOffset <= banner && banner < x.endOffset));
  });

  it("shows a class as its header alone, and a TypeScript class shown in part without overloads and block comments", () => {
    const py = "class Box(Base):\n    \"\"\"A box.\"\"\"\n\n    def open(self):\n        return 1\n";
    const p = analyzed(py, "python");
    const box = p.def("Box");
    const header = renderGroup(p.file, box, new Map([[box, "header" as const]]));
    // The densest forms leave out the bases (conventions.json denseHeritage).
    assert.equal(header.text.trim(), "class Box: ...");
    assert.deepEqual(parseErrors(header.text, "python"), []);
    // A bound among the type parameters is no base: the bases after them still go.
    const generic = analyzed("export class Query<\n  T,\n  K extends Key = Key,\n> extends Removable {\n  state: number\n}\n", "typescript");
    const query = generic.def("Query");
    assert.equal(renderGroup(generic.file, query, new Map([[generic.def("state"), "signature" as const]])).text, "class Query {\n  state: number\n}");

    const ts = [
      "export class Obs<T> extends Base<T> implements Sub, Unsub {",
      "  /** The source. */",
      "  source: Obs<any> | undefined;",
      "  /* tslint:disable */",
      "  pipe(): Obs<T>;",
      "  pipe<A>(op: (x: T) => A): Obs<A>;",
      "  pipe(...ops: any[]): Obs<any> {",
      "    return this;",
      "  }",
      "  subscribe(next: (v: T) => void): void {",
      "    next(undefined as any);",
      "  }",
      "}",
      "",
    ].join("\n");
    const { file, def } = analyzed(ts, "typescript");
    const obs = def("Obs");
    const sub = def("subscribe");
    const part = renderGroup(file, obs, new Map([[sub, "signature" as const]]));
    assert.doesNotMatch(part.text, /tslint|pipe|source/);
    assert.match(part.text, /^class Obs \{\n  subscribe\(next: \(v: T\) => void\): void;\n\}/);
    assert.deepEqual(parseErrors(part.text, "typescript"), []);
    // The class of a unit shown whole (the target being written) keeps its header as written.
    const whole = renderGroup(file, obs, new Map([[sub, "full" as const]]));
    assert.match(whole.text, /^export class Obs<T> extends Base<T> implements Sub, Unsub \{\n  subscribe\(next: \(v: T\) => void\): void \{\n    next/);
    const alone = renderGroup(file, obs, new Map([[obs, "header" as const]]));
    assert.equal(alone.text, "class Obs { /* … */ }");
  });

  it("outlines a class with the first overload of each method and its implementation, not every overload", () => {
    const ts = [
      "export class Obs<T> {",
      "  pipe(): Obs<T>;",
      "  pipe<A>(op1: (x: T) => A): Obs<A>;",
      "  pipe<A, B>(op1: (x: T) => A, op2: (x: A) => B): Obs<B>;",
      "  pipe(...ops: any[]): Obs<any> {",
      "    return this;",
      "  }",
      "}",
      "",
    ].join("\n");
    const { file, def } = analyzed(ts, "typescript");
    const obs = def("Obs");
    const outline = renderGroup(file, obs, new Map([[obs, "elided" as const]]));
    assert.doesNotMatch(outline.text, /op1|op2/);
    assert.match(outline.text, /pipe\(\): Obs<T>;\n  pipe\(\.\.\.ops: any\[\]\): Obs<any>/);
    assert.deepEqual(parseErrors(outline.text, "typescript"), []);
    // An overload picked for itself is still shown.
    const second = file.definitions.filter((d) => d.name === "pipe")[1]!;
    assert.match(renderGroup(file, obs, new Map<typeof obs, UnitMode>([[obs, "elided"], [second, "signature"]])).text, /op1: \(x: T\) => A/);
  });

  it("leaves type parameter and argument lists out of the densest forms of a TypeScript unit, and only there", () => {
    const ts = [
      "/** Resolves. Map<a, b> in a doc stays. */",
      "export function resolve<TData = unknown, TKey extends Key<TData> = Key<TData>>(",
      "  value: Value<TData, TKey> | ((q: Query<TData>) => Map<string, TKey>),",
      '  label = "a<b>", // Set<c>',
      "): Result<TData> | undefined {",
      "  return undefined;",
      "}",
      "",
    ].join("\n");
    const dense = renderUnit("typescript", ts, "resolve", "signature");
    // `export` goes too (what another file shows was reached through an import).
    assert.equal(dense.text, 'function resolve(\n  value: Value | ((q: Query) => Map),\n  label = "a<b>", // Set<c>\n): Result | undefined;');
    assert.deepEqual(parseErrors(dense.text, "typescript"), []);
    // What is left out is not counted as shown.
    const list = ts.indexOf("<TData = unknown");
    assert.ok(!dense.ranges.some((r) => r.startOffset <= list && list < r.endOffset));
    // The richer forms keep them, the doc comment with them.
    const elided = renderUnit("typescript", ts, "resolve", "elided");
    assert.match(elided.text, /Map<a, b> in a doc stays[\s\S]*export function resolve<TData = unknown, TKey extends Key<TData> = Key<TData>>\(\n  value: Value<TData, TKey>/);
    // A list that never closes is left alone; so is every bracket of a language without them.
    assert.deepEqual(typeArgumentLists("f<A, B(x: C<D>)", 0, 15, ["<", ">"]), []);
    assert.deepEqual(typeArgumentLists("g(x: A<B>) -> C<D, E -> F>", 0, 26, ["<", ">"]), [[6, 9], [15, 26]]);
    assert.equal(renderUnit("python", "def f(x: List[int]) -> Dict[str, int]:\n    return {}\n", "f", "signature").text, "def f(x: List[int]) -> Dict[str, int]: ...");
  });

  it("shows a parameter list written one parameter per line on one line outside the verbatim forms, where that means the same", () => {
    const ts = "export function hashKey(\n  queryKey: QueryKey,\n  options?: Options,\n): string {\n  return \"\";\n}\n";
    const dense = renderUnit("typescript", ts, "hashKey", "signature");
    assert.equal(dense.text, "function hashKey(queryKey: QueryKey, options?: Options): string;");
    assert.equal(renderUnit("typescript", ts, "hashKey", "full").text, ts.trimEnd());
    // What is shown is still the source's text: the ranges cover the list.
    assert.ok(dense.ranges.some((r) => r.startOffset <= ts.indexOf("options") && ts.indexOf("options") < r.endOffset));
    // A break inside one parameter (an object type's members, one per line) can separate two things: kept.
    const literal = "class Immer {\n  constructor(config?: {\n    autoFreeze?: boolean\n    strict?: boolean\n  }) {\n    return;\n  }\n}\n";
    const kept = renderUnit("typescript", literal, "constructor", "signature", "Immer");
    assert.match(kept.text, /autoFreeze\?: boolean\n\s*strict/);
    assert.deepEqual(parseErrors(kept.text, "typescript"), []);
    const py = "def connect(\n    host,\n    port=80,\n):\n    return host\n";
    assert.equal(renderUnit("python", py, "connect", "signature").text, "def connect(host, port=80): ...");
    // Breaks inside a type argument list the densest form leaves out go with it; the elided form keeps both.
    const generic = "class O {\n  protected createResult(\n    query: Query<A, B>,\n    options: Options<\n      A,\n      B\n    >,\n  ): Result<B> {\n    return run();\n  }\n}\n";
    assert.equal(renderUnit("typescript", generic, "createResult", "signature", "O").text, "class O {\n  protected createResult(query: Query, options: Options): Result;\n}");
    assert.match(renderUnit("typescript", generic, "createResult", "elided", "O").text, /options: Options<\n\s+A,/);
    // So does a field's type written over several lines, but not an object type's members.
    const fields = "interface R {\n  refetch: (\n    options?: Options,\n  ) => Promise<X>\n  data?:\n    | A\n    | B\n  meta: {\n    a: 1\n    b: 2\n  }\n}\n";
    const f = analyzed(fields, "typescript");
    const shown = renderGroup(f.file, f.def("R"), new Map(["refetch", "data", "meta"].map((n) => [f.def(n), "signature" as const])));
    assert.equal(shown.text, "interface R {\n  refetch: (options?: Options) => Promise\n  data?: | A | B\n  meta: {\n    a: 1\n    b: 2\n  }\n}");
    assert.deepEqual(parseErrors(shown.text, "typescript"), []);
    // A private field's `#` is no comment in TypeScript; a `//` comment inside the type keeps its lines.
    const priv = "class Q {\n  #selectFn?: (\n    data: A,\n  ) => B\n  note:\n    | A // the old one\n    | B\n}\n";
    const q = analyzed(priv, "typescript");
    assert.equal(renderGroup(q.file, q.def("Q"), new Map(["#selectFn", "note"].map((n) => [q.def(n), "signature" as const]))).text, "class Q {\n  #selectFn?: (data: A) => B\n  note:\n    | A // the old one\n    | B\n}");
  });

  it("leaves a comment after a unit on its line out of its densest forms, as it does its doc comment", () => {
    const ts = "export class R {\n  observing_: Obs[] = []; // nodes we are looking at\n  runId_ = 0 // a counter\n}\n";
    const { file, def } = analyzed(ts, "typescript");
    const dense = renderGroup(file, def("R"), new Map([[def("observing_"), "signature" as const], [def("runId_"), "signature" as const]]));
    assert.equal(dense.text, "class R {\n  observing_: Obs[] = [];\n  runId_ = 0\n}");
    assert.match(renderGroup(file, def("R"), new Map([[def("R"), "full" as const]])).text, /nodes we are looking at/);
    const py = "class P:\n    x = 1  # the x\n    y = 2\n";
    const p = analyzed(py, "python");
    assert.equal(renderGroup(p.file, p.def("P"), new Map([[p.def("x"), "signature" as const]])).text.trimEnd(), "class P:\n    x = 1");
  });

  it("ends a bare TypeScript signature as a declaration, where one can stand, and elides the body elsewhere", () => {
    const ts = [
      "export function top(x: number): number {",
      "  return x;",
      "}",
      "export const arrow = (x: number): number => {",
      "  return x;",
      "};",
      "export const table = {",
      "  method(x: number): number {",
      "    return x;",
      "  },",
      "};",
      "export class Box {",
      "  open(): void {",
      "    return;",
      "  }",
      "}",
      "",
    ].join("\n");
    const dense = (name: string, top = name) => {
      const r = renderUnit("typescript", ts, name, "signature", top);
      assert.deepEqual(parseErrors(r.text, "typescript"), [], r.text);
      return r.text;
    };
    assert.equal(dense("top"), "function top(x: number): number;");
    assert.equal(dense("open", "Box"), "class Box {\n  open(): void;\n}");
    // `public` says nothing a member's outline needs; `private` and `static` stay.
    const members = "export class Box {\n  public open(): void {\n    return;\n  }\n  private static shut(): void {\n    return;\n  }\n}\n";
    assert.equal(renderUnit("typescript", members, "open", "signature", "Box").text, "class Box {\n  open(): void;\n}");
    assert.equal(renderUnit("typescript", members, "shut", "signature", "Box").text, "class Box {\n  private static shut(): void;\n}");
    assert.equal(dense("arrow"), "const arrow = (x: number): number => { /* … */ };");
    assert.ok(analyzeText(ts, "typescript").definitions.some((d) => d.name === "method"), "an object literal's method is a definition");
    assert.match(dense("method", "table"), /method\(x: number\): number \{ \/\* … \*\/ \}/);
    // JavaScript has no declarations without a body.
    assert.equal(renderUnit("javascript", "export function top(x) {\n  return x;\n}\n", "top", "signature").text, "export function top(x) { /* … */ }");
  });

  it("trims the examples out of a doc comment, and nothing else", () => {
    const ts = [
      "/**",
      " * Throws when the source is empty.",
      " *",
      " * ## Example",
      " *",
      " * ```ts",
      " * of().pipe(throwIfEmpty()).subscribe();",
      " * ```",
      " *",
      " * @param factory Makes the error.",
      " * @example",
      " * throwIfEmpty(() => new Error());",
      " */",
      "export function throwIfEmpty(factory: () => any): void {",
      "  return;",
      "}",
      "",
    ].join("\n");
    const trimmed = renderUnit("typescript", ts, "throwIfEmpty", "trimmed");
    assert.equal(trimmed.text, ["/**", " * Throws when the source is empty.", " *", " * @param factory Makes the error.", " */", "export function throwIfEmpty(factory: () => any): void {", "  return;", "}"].join("\n"));
    assert.deepEqual(parseErrors(trimmed.text, "typescript"), []);
    // A doc comment without examples has nothing to trim.
    const plain = "/** Adds. */\nexport function add(a: number): number {\n  return a;\n}\n";
    const p = analyzeText(plain, "typescript");
    assert.deepEqual(docExamples(p.definitions.find((d) => d.name === "add")!, plain), []);
  });

  it("elides a long value (a table, an object literal) outside the full form, and keeps a short one", () => {
    const cases: Array<[string, string, string, RegExp]> = [
      ["python", "decoding_table = (\n    'a'  # (\n    'b'\n    'c'\n    'd'\n)\nSHORT = (1,\n    2)\n", "decoding_table", /^decoding_table = \.\.\.$/],
      ["typescript", "export const globalState: Globals = (function () {\n  const g = new Globals();\n  g.x = 1;\n  g.y = 2;\n  return g;\n})();\nconst SHORT = {\n  a: 1 };\n", "globalState", /^const globalState: Globals = \{ \/\* … \*\/ \};$/],
    ];
    for (const [language, text, name, expected] of cases) {
      const unit = analyzed(text, language);
      const file = unit.file;
      const def = unit.def(name);
      assert.ok(def.valueSpan, `${language}: ${name} has a value span`);
      const dense = renderGroup(file, def, new Map([[def, "signature" as const]]));
      assert.match(dense.text.trim(), expected);
      assert.deepEqual(parseErrors(dense.text, language), []);
      // The name stays in the shown ranges; the value does not.
      assert.ok(dense.ranges.some((r) => r.startOffset <= def.nameSpan.startOffset && def.nameSpan.startOffset < r.endOffset));
      assert.ok(!dense.ranges.some((r) => r.startOffset <= def.valueSpan!.startOffset + 1 && def.valueSpan!.startOffset + 1 < r.endOffset));
      assert.equal(renderGroup(file, def, new Map([[def, "full" as const]])).text, text.slice(def.span.startOffset, def.span.endOffset));
      const short = unit.def("SHORT");
      assert.equal(renderGroup(file, short, new Map([[short, "signature" as const]])).text, text.slice(short.span.startOffset, short.span.endOffset));
    }
  });

  it("elides a long value on one line in the densest form only, and keeps a short one there", () => {
    const text = 'NAMES = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]\nMAX_N = 1 << 31\n';
    const { file, def } = analyzed(text, "python");
    const long = def("NAMES");
    assert.equal(renderGroup(file, long, new Map([[long, "signature" as const]])).text.trim(), "NAMES = ...");
    // The richer form (a named definition, a likely guess given room) still shows it.
    assert.match(renderGroup(file, long, new Map([[long, "elided" as const]])).text, /"epsilon"/);
    const short = def("MAX_N");
    assert.equal(renderGroup(file, short, new Map([[short, "signature" as const]])).text.trim(), "MAX_N = 1 << 31");
  });
});

describe("context engine: units that are no statement on their own", () => {
  const ws = workspaceFixture("ctx-literal-methods-", {
    "package.json": "{}\n",
    "src/traps.ts":
      "export const traps = {\n  get(state: State, prop: string) {\n    return state.values[prop];\n  },\n  set(state: State, prop: string, value: unknown) {\n    state.values[prop] = value;\n    return true;\n  },\n};\n\n" +
      "export async function* pages(state: State): AsyncGenerator<number> {\n  yield 1;\n}\n\n" +
      "interface State {\n  values: Record<string, unknown>;\n}\n\n" +
      "export function read(state: State, prop: string): unknown {\n  throw new Error(\"not implemented\");\n}\n",
  });

  it("shows an object literal's method inside its variable, and a generator with its body elided, so every chunk parses", async () => {
    const r = await stubContext(ws.root, "src/traps.ts", "read", 6000, { explain: true });
    const picked = new Set(r.candidates!.filter((c) => c.picked).map((c) => c.name));
    assert.ok(picked.has("get") && picked.has("pages"), `the method and the generator are picked: ${[...picked].join(" ")}`);
    assert.equal(r.unparsable, undefined, "no chunk was left out for not parsing");
    const get = r.chunks.find((c) => /\bget\(state/.test(c.text));
    assert.ok(get, r.chunks.map((c) => c.text).join("\n---\n"));
    // The method inside its variable: elided, or whole when the model rates the variable likely
    // enough to show richer (showRicher).
    assert.match(get.text, /^(?:export )?const traps = \{\n  get\(state: State, prop: string\) \{( \/\* … \*\/ \},|\n    return state\.values\[prop\];\n  \},)/);
    for (const c of r.chunks) assert.deepEqual(parseErrors(c.text, "typescript"), [], c.text);
  });
});
