import { readFileSync } from "node:fs";
import { packagePath } from "../paths.js";

/** The subset of JSON Schema draft-07 that schema.json uses. */
export interface SchemaNode {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  minimum?: number;
  maximum?: number;
  [key: string]: unknown;
}

/** One leaf setting, flattened: "completion.model", its schema, and its environment variable. */
export interface SettingField {
  /** Dotted path, e.g. "completion.debounceMinMs". */
  key: string;
  path: string[];
  schema: SchemaNode;
  /** The CODEGEN_* variable that sets it, e.g. CODEGEN_COMPLETION_DEBOUNCE_MIN_MS. */
  envVar: string;
}

let cachedSchema: SchemaNode | undefined;

/** The parsed server/settings/schema.json (the single source of truth for every setting). */
export function settingsSchema(): SchemaNode {
  cachedSchema ??= JSON.parse(readFileSync(packagePath("server", "settings", "schema.json"), "utf8")) as SchemaNode;
  return cachedSchema;
}

/** Turns a settings path into its environment variable name: ["completion","maxTokens"] -> CODEGEN_COMPLETION_MAX_TOKENS. */
export function envVarFor(path: string[]): string {
  return "CODEGEN_" + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()).join("_");
}

/** Every leaf setting in schema order (objects are walked, arrays count as one leaf). */
export function settingFields(schema: SchemaNode = settingsSchema()): SettingField[] {
  const out: SettingField[] = [];
  const walk = (node: SchemaNode, path: string[]) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const p = [...path, name];
      if (child.type === "object" && child.properties) walk(child, p);
      else out.push({ key: p.join("."), path: p, schema: child, envVar: envVarFor(p) });
    }
  };
  walk(schema, []);
  return out;
}

/** The default settings object built from the schema's `default` keywords (nested objects included). */
export function schemaDefaults(schema: SchemaNode = settingsSchema()): Record<string, unknown> {
  const build = (node: SchemaNode): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      if (child.type === "object" && child.properties) out[name] = build(child);
      else if (child.default !== undefined) out[name] = structuredClone(child.default);
    }
    return out;
  };
  return build(schema);
}

/** The schema node at a dotted path, if any. */
export function schemaAt(path: string[], schema: SchemaNode = settingsSchema()): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const p of path) node = node?.properties?.[p];
  return node;
}
