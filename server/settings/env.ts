import { settingFields, type SchemaNode } from "./schema.js";

/** Environment variables read besides CODEGEN_*, mapped to the setting they fill. */
export const standardEnvVars: Record<string, string> = {
  OPENAI_API_KEY: "apiKey",
  OPENAI_BASE_URL: "baseUrl",
};

/** Converts an environment string to the schema's type; values that do not convert stay strings so validation names them. */
function parseEnvValue(raw: string, schema: SchemaNode): unknown {
  const v = raw.trim();
  switch (schema.type) {
    case "integer":
    case "number":
      return v !== "" && Number.isFinite(Number(v)) ? Number(v) : raw;
    case "boolean":
      if (/^(true|1|yes|on)$/i.test(v)) return true;
      if (/^(false|0|no|off)$/i.test(v)) return false;
      return raw;
    case "array":
    case "object":
      if (v.startsWith("[") || v.startsWith("{")) {
        try {
          return JSON.parse(v);
        } catch {
          return raw;
        }
      }
      // A plain list of strings may be written comma-separated: CODEGEN_EXCLUDE="dist/**,*.min.js".
      return schema.type === "array" ? v.split(",").map((s) => s.trim()).filter(Boolean) : raw;
    default:
      return raw;
  }
}

/** Sets a value at a dotted path inside a nested object. */
export function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const p of path.slice(0, -1)) {
    if (typeof node[p] !== "object" || node[p] === null || Array.isArray(node[p])) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/**
 * The settings layer from the environment: OPENAI_API_KEY and OPENAI_BASE_URL, then CODEGEN_<PATH>
 * for every setting (CODEGEN_API_KEY and CODEGEN_BASE_URL win over the OPENAI_* ones). Empty variables are ignored.
 */
export function envSettings(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(standardEnvVars)) {
    const v = env[name];
    if (v !== undefined && v.trim() !== "") setPath(out, key.split("."), v.trim());
  }
  for (const field of settingFields()) {
    const v = env[field.envVar];
    if (v !== undefined && v.trim() !== "") setPath(out, field.path, parseEnvValue(v, field.schema));
  }
  return out;
}
