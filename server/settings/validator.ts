/**
 * The settings validator: ajv's code generated ahead of time from schema.json
 * (schemaValidator.generated.ts, see validatorCode.ts), so startup neither loads ajv nor compiles
 * the schema. When schema.json changed after the code was generated, ajv compiles it at run time
 * instead, so validation always follows the schema.
 */
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";
import { schemaFingerprint, validate as generatedValidate } from "./schemaValidator.generated.js";
import { settingsSchema, type SchemaNode } from "./schema.js";

/** A validation function in ajv's shape: true when valid, else the problems in `errors`. */
export interface SettingsValidator {
  (value: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** The ajv options the server validates with, for the generated code and the run-time fallback alike. */
export const ajvOptions = { allErrors: true, strict: false } as const;

/**
 * A fingerprint of the schema as parsed (so formatting changes of schema.json do not count): its
 * length and 32-bit FNV-1a hash. It only tells a stale generated validator from a current one.
 * NOTE: not SHA-256: loading node:crypto cost ~4 ms of startup, on the path to the initialize result.
 */
export function schemaHash(schema: SchemaNode = settingsSchema()): string {
  const text = JSON.stringify(schema);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${text.length}-${(h >>> 0).toString(16).padStart(8, "0")}`;
}

let validator: SettingsValidator | undefined;

/** The validator for schema.json: the generated one when it is up to date, else one compiled now by ajv. */
export function settingsValidator(): SettingsValidator {
  if (!validator) {
    if (schemaHash() === schemaFingerprint) validator = generatedValidate as SettingsValidator;
    else {
      // NOTE: synchronous (require), because settings resolve synchronously while answering initialize.
      const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");
      validator = new Ajv(ajvOptions).compile(settingsSchema()) as SettingsValidator;
    }
  }
  return validator;
}
