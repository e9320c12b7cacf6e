import { standardEnvVars } from "./settings/env.js";
import { settingFields, type SchemaNode } from "./settings/schema.js";

/** "string", "integer (>= 1)", "one of: a, b". */
export function typeLabel(s: SchemaNode): string {
  if (s.enum) return s.enum.map((v) => String(v)).join(" | ");
  const bounds = [s.minimum !== undefined ? `>= ${s.minimum}` : "", s.maximum !== undefined ? `<= ${s.maximum}` : ""].filter(Boolean).join(", ");
  const base = s.type === "array" && s.items?.type && s.items.type !== "object" ? `${s.items.type}[]` : String(s.type ?? "any");
  return bounds ? `${base} (${bounds})` : base;
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join("\n");
}

/** The --help text: usage, then every setting with its environment variable, generated from schema.json. */
export function helpText(): string {
  const out: string[] = [
    "Usage: codegen-language-server --stdio | --check [--settings <file.json | JSON>] | --version | --help",
    "",
    "  --stdio      Run the language server over stdin/stdout (what editors start).",
    "  --check      Resolve the settings as the server would, ask the endpoint for its models and one",
    "               tiny completion, and say what works. Exit code 0 only when a completion came back.",
    "  --settings   With --check: settings as a JSON file or inline JSON, like initializationOptions.",
    "  --version    Print the version.",
    "  --help       Print this help.",
    "",
    "Settings, in increasing priority: defaults < environment < initializationOptions <",
    "workspace/didChangeConfiguration < workspace/configuration (section \"codegen\").",
    "",
    "Environment variables:",
    ...Object.entries(standardEnvVars).map(([v, key]) => `  ${v.padEnd(34)} sets ${key} (CODEGEN_${key === "apiKey" ? "API_KEY" : "BASE_URL"} wins over it)`),
    "",
    "Settings (key, environment variable, type, default):",
  ];
  for (const f of settingFields()) {
    out.push("");
    out.push(`  ${f.key}`);
    out.push(`      env ${f.envVar}; ${typeLabel(f.schema)}; default ${JSON.stringify(f.schema.default ?? null)}`);
    out.push(wrap(f.schema.description ?? "", 92, "      "));
  }
  out.push("");
  return out.join("\n") + "\n";
}
