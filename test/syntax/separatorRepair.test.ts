import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { SourceDocument } from "../../server/syntax/document.js";
import { createDocumentStore, definitions, parseErrors, parseText } from "../../server/syntax/index.js";
import { sourceOf } from "../../server/syntax/source.js";
import { positionAt } from "../../server/text/positions.js";

/**
 * tree-sitter-typescript cannot parse a generic call signature that follows another member with no
 * `;` between them (tree-sitter/tree-sitter-typescript#335); the document hands the parser a `;`
 * in place of such a line's first character (server/syntax/separatorRepair.ts).
 */

// As mobx writes its factories (api/observable.ts): no semicolons anywhere.
const FACTORY = [
  "export interface IObservableFactory",
  "    extends Annotation,",
  "        PropertyDecorator {",
  "    <T = any>(value: T[], options?: CreateObservableOptions): IObservableArray<T>",
  "    <T = any>(value: Set<T>, options?: CreateObservableOptions): ObservableSet<T>",
  "    // a comment between signatures",
  "    <K = any, V = any>(value: Map<K, V>, options?: CreateObservableOptions): ObservableMap<K, V>",
  "",
  "    box: IObservableValueFactory",
  "    array: <T = any>(initialValues?: T[], options?: CreateObservableOptions) => IObservableArray<T>",
  "    /** the rest */",
  "\t<T extends object>(value: T, decorators?: AnnotationsMap<T, never>): T",
  "    /**",
  ...Array.from({ length: 20 }, (_, i) => `     * A long doc comment with an example, line ${i}.`),
  "     */",
  "    <",
  "      S extends object,",
  "    >(value: S): S",
  "}",
  "",
  "const observableFactories: IObservableFactory = {",
  "    box<T = any>(value: T, options?: CreateObservableOptions): IObservableValue<T> {",
  "        return new ObservableValue(value, options)",
  "    },",
  "} as any",
  "",
  "export function observable(value: unknown) {",
  "    return observableFactories.box(value)",
  "}",
  "",
].join("\n");

const treeString = (doc: unknown) => (doc as SourceDocument).tree!.rootNode.toString();

describe("syntax: separator repair (TypeScript generic call signatures without `;`)", () => {
  it("parses an interface whose generic call signatures follow other members without `;`", () => {
    const doc = parseText(FACTORY, "typescript");
    assert.deepEqual(parseErrors(FACTORY, "typescript"), []);
    const defs = definitions(doc);
    const factory = defs.find((d) => d.name === "IObservableFactory")!;
    assert.equal(FACTORY.slice(factory.span.startOffset, factory.span.endOffset).split("\n").at(-1), "}", "the interface ends at its own brace");
    assert.deepEqual(defs.filter((d) => d.container === "IObservableFactory").map((d) => d.name), ["box", "array"]);
    assert.deepEqual(defs.filter((d) => d.depth === 0).map((d) => d.name), ["IObservableFactory", "observableFactories", "observable"]);
    // The document's text, offsets and names stay the document's own: the parser alone saw the `;`.
    assert.equal(doc.text, FACTORY);
    for (const d of defs) assert.equal(FACTORY.slice(d.nameSpan.startOffset, d.nameSpan.endOffset), d.name);
  });

  it("repairs the same signatures in TSX, where a JSX line that looks like one stays valid", () => {
    // tree-sitter-tsx shares the grammar's bug (two errors on FACTORY without the rule).
    assert.deepEqual(parseErrors(FACTORY, "tsx"), []);
    assert.deepEqual(definitions(parseText(FACTORY, "tsx")).filter((d) => d.depth === 0).map((d) => d.name), ["IObservableFactory", "observableFactories", "observable"]);
    const jsx = ["export function Hint() {", "  return (", "    <div>", "      <b>(optional)</b>", "      {label()}", "      <i>(x)</i>", "    </div>", "  )", "}", ""].join("\n");
    assert.deepEqual(parseErrors(jsx, "tsx"), []);
    assert.deepEqual(definitions(parseText(jsx, "tsx")).map((d) => d.name), ["Hint"]);
  });

  it("leaves a generic arrow function that continues the previous line alone", () => {
    const text = "export const identity =\n    <T>(value: T): T => value\nexport const pair = combine(a,\n    <T>(b: T) => b)\n";
    assert.deepEqual(parseErrors(text, "typescript"), []);
  });

  it("random edits around the signatures leave the same repairs, tree and definitions as a fresh parse", () => {
    // The interface alone: with statements that rely on automatic semicolons around it (`} as
    // any`, a generic arrow on its own line), tree-sitter itself may settle an ambiguity one way when
    // re-parsing and the other from scratch, with or without repairs.
    const text0 = FACTORY.slice(0, FACTORY.indexOf("\n}\n") + 3);
    const pieces = fc.constantFrom(";", "\n", "    ", "\t", "<T>(x: T): T", "<", ">", "(", "// c\n", "/** d */\n", "x", "", "=", "}", "{");
    const edit = fc.record({ at: fc.nat(), len: fc.nat({ max: 6 }), text: fc.array(pieces, { maxLength: 3 }).map((a) => a.join("")) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
        const store = createDocumentStore();
        const uri = "file:///factory.ts";
        let doc = store.open(uri, "typescript", 1, text0);
        let text = text0;
        let version = 1;
        for (const e of edits) {
          // Edits land near the signatures' line starts, where repairs come and go.
          const lineStarts = [...text.matchAll(/\n/g)].map((m) => m.index + 1);
          const start = Math.min(text.length, (lineStarts[e.at % lineStarts.length] ?? 0) + (e.at % 3) - 1);
          const end = Math.min(text.length, start + e.len);
          const range = { start: positionAt(text, Math.max(0, start)), end: positionAt(text, end) };
          text = text.slice(0, Math.max(0, start)) + e.text + text.slice(end);
          doc = store.change(uri, ++version, [{ range, text: e.text }])!;
          assert.equal(doc.text, text);
        }
        const fresh = parseText(text, "typescript");
        assert.deepEqual(sourceOf(doc).repairedOffsets, sourceOf(fresh).repairedOffsets);
        assert.equal(treeString(doc), treeString(fresh));
        assert.deepEqual(definitions(doc), definitions(fresh));
      }),
      { seed: 20261206, numRuns: 60 },
    );
  });
});
