import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packagePath } from "../../server/paths.js";
import {
  definitions,
  imports,
  knownLanguages,
  languageFor,
  parseErrors,
  parseText,
  references,
  stubs,
  testCases,
  type Definition,
} from "../../server/syntax/index.js";

/**
 * Table-driven checks of the grammars/ queries: one fixture folder per language under
 * test/fixtures/syntax/<language>/, whose expected.json lists, per file, the definitions (in
 * source order, as "<kind> <Container.>name @<depth>"), doc comments, stubs with their reason,
 * imports, test cases and some references and signatures.
 */

interface FileExpectation {
  language: string;
  definitions: string[];
  docs?: Record<string, string>;
  stubs: Record<string, string>;
  imports: Array<[string, string[]]>;
  tests: string[];
  /** Files with a syntax error say so, and still list the definitions around the error. */
  hasErrors?: boolean;
  references?: { within: string; includes: string[]; excludes?: string[] };
  signatures?: Record<string, { parameters?: string; returnType?: string; signature?: string }>;
}

const fixtures = packagePath("test", "fixtures", "syntax");

/** The first definition named `name` that has a body (an implementation rather than a declaration). */
function withBody(defs: Definition[], name: string): Definition | undefined {
  const named = defs.filter((d) => d.name === name);
  return named.find((d) => d.bodySpan) ?? named[0];
}

function show(d: Definition): string {
  return `${d.kind} ${d.container ? `${d.container}.` : ""}${d.name} @${d.depth}`;
}

describe("syntax: grammars/ queries per language (fixtures)", () => {
  it("has a fixture folder for every grammar folder", () => {
    for (const lang of knownLanguages()) assert.ok(existsSync(join(fixtures, lang, "expected.json")), `fixture for ${lang}`);
  });

  for (const lang of readdirSync(fixtures).sort()) {
    const expectedFile = join(fixtures, lang, "expected.json");
    if (!existsSync(expectedFile)) continue;
    const expected = JSON.parse(readFileSync(expectedFile, "utf8")) as Record<string, FileExpectation>;
    describe(lang, () => {
      for (const [file, exp] of Object.entries(expected)) {
        const text = readFileSync(join(fixtures, lang, file), "utf8");
        const doc = () => parseText(text, languageFor("", file));

        it(`${file}: is recognised as ${exp.language}`, () => {
          assert.equal(languageFor("", file), exp.language);
        });

        it(`${file}: definitions`, () => {
          assert.deepEqual(definitions(doc()).map(show), exp.definitions);
        });

        if (exp.docs) {
          it(`${file}: doc comments`, () => {
            const defs = definitions(doc());
            for (const [name, text] of Object.entries(exp.docs!)) {
              const docs = defs.filter((d) => d.name === name).map((d) => d.doc);
              assert.ok(docs.includes(text), `doc of ${name}: ${JSON.stringify(docs)}`);
            }
          });
        }

        it(`${file}: stubs and non-stubs`, () => {
          const found = Object.fromEntries(stubs(doc()).map((s) => [s.name, s.reason]));
          assert.deepEqual(found, exp.stubs);
        });

        it(`${file}: imports`, () => {
          assert.deepEqual(imports(doc()).map((i) => [i.module, i.names]), exp.imports);
        });

        it(`${file}: test cases`, () => {
          assert.deepEqual(testCases(doc()).map((t) => t.name), exp.tests);
        });

        it(`${file}: ${exp.hasErrors ? "has" : "has no"} syntax errors`, () => {
          assert.equal(parseErrors(text, exp.language).length > 0, !!exp.hasErrors);
        });

        if (exp.references) {
          it(`${file}: references inside ${exp.references.within}`, () => {
            const d = doc();
            const target = withBody(definitions(d), exp.references!.within);
            assert.ok(target?.bodySpan, `definition ${exp.references!.within}`);
            const refs = references(d, target.bodySpan.startOffset, target.bodySpan.endOffset).map((r) =>
              r.object ? `${r.object}.${r.name}` : r.name,
            );
            for (const name of exp.references!.includes) assert.ok(refs.includes(name), `${name} in ${refs.join(" ")}`);
            for (const name of exp.references!.excludes ?? []) assert.ok(!refs.includes(name), `${name} not in ${refs.join(" ")}`);
          });
        }

        if (exp.signatures) {
          it(`${file}: parameters, return types and signatures`, () => {
            const defs = definitions(doc());
            for (const [name, sig] of Object.entries(exp.signatures!)) {
              const d = withBody(defs, name);
              assert.ok(d, `definition ${name}`);
              if (sig.parameters !== undefined) assert.equal(d.parameters, sig.parameters, `parameters of ${name}`);
              if (sig.returnType !== undefined) assert.equal(d.returnType, sig.returnType, `return type of ${name}`);
              if (sig.signature !== undefined) assert.equal(d.signature, sig.signature, `signature of ${name}`);
            }
          });
        }
      }
    });
  }
});
