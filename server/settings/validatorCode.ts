/**
 * Generates server/settings/schemaValidator.generated.ts: ajv's standalone validation code for
 * schema.json. Loading ajv and compiling the schema took about a fifth of the server's startup
 * CPU time (issue 6); the generated module is plain code that validates the same way.
 * `npm run gen:validator` rewrites the file; a test fails when it is stale, and the server falls
 * back to compiling with ajv when it finds the file out of date (see validator.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import standalone from "ajv/dist/standalone/index.js";
import { packagePath } from "../paths.js";
import { settingsSchema, type SchemaNode } from "./schema.js";
import { ajvOptions, schemaHash } from "./validator.js";

/** The text of schemaValidator.generated.ts for `schema`. */
export function validatorSource(schema: SchemaNode = settingsSchema()): string {
  const ajv = new Ajv({ ...ajvOptions, code: { source: true, esm: true } });
  let code = standalone.default(ajv, ajv.compile(schema));
  // ajv's runtime helpers are referenced through require(), which an ES module lacks; the one
  // helper the schema needs (string length in code points, for minLength) is copied in from ajv.
  // NOTE: copied, not imported: importing that CommonJS file from an ES module made Node scan it
  // for export names and start its CommonJS loader on the path to the initialize result.
  code = code.replace(/require\("ajv\/dist\/runtime\/ucs2length"\)\.default/g, "ucs2length");
  const ucs2length = (createRequire(import.meta.url)("ajv/dist/runtime/ucs2length") as { default: (s: string) => number }).default;
  const leftover = /require\([^)]*\)/.exec(code);
  if (leftover) throw new Error(`the generated validator needs ${leftover[0]}; import it in validatorCode.ts`);
  return [
    "// @ts-nocheck",
    "/* Generated from server/settings/schema.json by `npm run gen:validator` (server/settings/validatorCode.ts); do not edit. */",
    `const ucs2length = ${ucs2length.toString()};`,
    `export const schemaFingerprint = ${JSON.stringify(schemaHash(schema))};`,
    code,
    "",
  ].join("\n");
}

/** Where the generated module lives in the sources. */
export const generatedPath = (): string => packagePath("server", "settings", "schemaValidator.generated.ts");

// Run directly (npm run gen:validator): rewrite the generated module.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let before = "";
  try {
    before = readFileSync(generatedPath(), "utf8");
  } catch {
    // Not generated yet.
  }
  const after = validatorSource();
  if (after !== before) writeFileSync(generatedPath(), after);
  process.stdout.write(after === before ? "schemaValidator.generated.ts is up to date\n" : "rewrote server/settings/schemaValidator.generated.ts\n");
}
