/**
 * The settings validator: ajv's code generated ahead of time from schema.json
 * (schemaValidator.generated.ts, see validatorCode.ts), so startup neither loads ajv nor compiles
 * the schema. When schema.json changed after the code was generated, ajv compiles it at run time
 * instead, so validation always follows the schema.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";
import { schemaSha256, validate as generatedValidate } from "./schemaValidator.generated.js";
import { settingsSchema, type SchemaNode } from "./schema.js";

/** A validation function in ajv's shape: true when valid, else the problems in `errors`. */
export interface SettingsValidator {
  (value: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** The ajv options the server validates with, for the generated code and the run-time fallback alike. */
export const ajvOptions = { allErrors: true, strict: false } as const;

/** The SHA-256 of the schema as parsed (so formatting changes of schema.json do not count). */
export function schemaHash(schema: SchemaNode = settingsSchema()): string {
  return createHash("sha256").update(JSON.stringify(schema)).digest("hex");
}

let validator: SettingsValidator | undefined;

/** The validator for schema.json: the generated one when it is up to date, else one compiled now by ajv. */
export function settingsValidator(): SettingsValidator {
  if (!validator) {
    if (schemaHash() === schemaSha256) validator = generatedValidate as SettingsValidator;
    else {
      // NOTE: synchronous (require), because settings resolve synchronously while answering initialize.
      const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");
      validator = new Ajv(ajvOptions).compile(settingsSchema()) as SettingsValidator;
    }
  }
  return validator;
}
