/**
 * Generates the README's settings table from schema.json, so the documentation cannot drift from
 * the settings the server validates. `npm run docs:settings` rewrites the section between the
 * markers; a test fails when the README holds a stale table.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { typeLabel } from "../help.js";
import { packagePath } from "../paths.js";
import { settingFields } from "./schema.js";

export const START_MARKER = "<!-- settings:start (generated from server/settings/schema.json by `npm run docs:settings`; do not edit) -->";
export const END_MARKER = "<!-- settings:end -->";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The markdown table of every setting: key, environment variable, type, default, description. */
export function settingsTable(): string {
  const rows = settingFields().map((f) => {
    const def = JSON.stringify(f.schema.default);
    return `| \`${f.key}\` | \`${f.envVar}\` | ${cell(typeLabel(f.schema))} | \`${cell(def)}\` | ${cell(f.schema.description ?? "")} |`;
  });
  return ["| Setting | Environment variable | Type | Default | Description |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}

/** The README text with the section between the markers replaced by the current table. */
export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`README.md lacks the settings markers ${START_MARKER} … ${END_MARKER}`);
  return readme.slice(0, start + START_MARKER.length) + "\n" + settingsTable() + "\n" + readme.slice(end);
}

// Run directly (npm run docs:settings): rewrite README.md in place.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = packagePath("README.md");
  const before = readFileSync(file, "utf8");
  const after = withSettingsTable(before);
  if (after !== before) writeFileSync(file, after);
  process.stdout.write(after !== before ? "README.md settings table updated\n" : "README.md settings table already up to date\n");
}
