/**
 * Property-based fuzzing of document sync, in process (issue 9): random sequences of didOpen,
 * didChange (several incremental changes per event, full-text changes, astral characters, CRLF and
 * lone CR) and didClose over several documents, checked against a model of the text kept by
 * vscode-languageserver-textdocument (the reference implementation of LSP text sync). After every
 * step each open document's text equals the model's, its tree equals a fresh parse of that text
 * (or it has none because it is over the size limit), and positions convert the same way both ways.
 *
 * Seeded; FUZZ_RUNS sets the number of sequences (default 300, about 1 s), FUZZ_SEED the seed.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { TextDocument } from "vscode-languageserver-textdocument";
import { applyToModel, DOCS, FUZZ_SEED, fuzzRuns, opArb, snap, type Op } from "./fuzzArbs.js";
import { createDocumentStore, parseText } from "../../server/syntax/index.js";
import type { SyntaxDocument, TextChange } from "../../server/syntax/types.js";

function treeOf(doc: SyntaxDocument): string | undefined {
  return (doc as unknown as { tree?: { rootNode: { toString(): string } } }).tree?.rootNode.toString();
}

describe("hardening: fuzzed document sync (in process, against an LSP text model)", function () {
  this.timeout(120000);

  it("text, tree and positions always equal a fresh parse of the model's text", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 25 }), fc.constantFrom(1_000_000, 120), (ops: Op[], maxBytes: number) => {
        const store = createDocumentStore({ maxBytes });
        const models = new Map<number, TextDocument>();
        for (const o of ops) {
          const d = DOCS[o.doc]!;
          if (o.op === "open") {
            store.open(d.uri, d.languageId, 1, o.text);
            models.set(o.doc, TextDocument.create(d.uri, d.languageId, 1, o.text));
          } else if (o.op === "close") {
            store.close(d.uri);
            models.delete(o.doc);
          } else {
            let model = models.get(o.doc);
            const changes: TextChange[] = [];
            if (model) {
              for (const raw of o.changes) {
                const r = applyToModel(model, raw);
                model = r.model;
                changes.push(r.change);
              }
              models.set(o.doc, model);
            }
            const version = (model?.version ?? 0) + 1;
            const doc = store.change(d.uri, version, changes);
            // A change for a closed document is ignored, never a crash.
            assert.equal(doc === undefined, model === undefined);
          }
          for (const [i, spec] of DOCS.entries()) {
            const model = models.get(i);
            const doc = store.get(spec.uri);
            if (!model) {
              assert.equal(doc, undefined, `${spec.uri} is closed`);
              continue;
            }
            assert.ok(doc, `${spec.uri} is open`);
            const text = model.getText();
            assert.equal(doc.text, text, "text equals the model's");
            const tooBig = Buffer.byteLength(text, "utf8") > maxBytes;
            const tree = treeOf(doc);
            if (!spec.language || tooBig) assert.equal(tree, undefined, "no tree for plain text or an oversized document");
            else assert.equal(tree, treeOf(parseText(text, spec.language, maxBytes)), "tree equals a fresh parse");
            // Positions agree with the reference at the ends, the middle and around every line break.
            const offsets = new Set([0, text.length, text.length >> 1]);
            for (let k = text.indexOf("\n"); k >= 0 && offsets.size < 12; k = text.indexOf("\n", k + 1)) offsets.add(k).add(k + 1);
            for (let k = text.indexOf("\r"); k >= 0 && offsets.size < 20; k = text.indexOf("\r", k + 1)) offsets.add(k).add(k + 1);
            for (const off of offsets) {
              const safe = snap(text, Math.min(off, text.length));
              // Between the CR and LF of one line break is no position at all (editors never send it).
              if (text[safe - 1] === "\r" && text[safe] === "\n") continue;
              const pos = model.positionAt(safe);
              assert.deepEqual(doc.positionAt(safe), pos, `positionAt(${safe})`);
              assert.equal(doc.offsetAt(pos), safe, `offsetAt(${JSON.stringify(pos)})`);
            }
          }
        }
      }),
      { seed: FUZZ_SEED, numRuns: fuzzRuns(300) },
    );
  });
});
