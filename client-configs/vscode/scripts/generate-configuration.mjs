#!/usr/bin/env node
/**
 * Writes `contributes.configuration` of this extension's package.json from the server's JSON
 * Schema (server/settings/schema.json), so VS Code's settings UI always lists exactly the
 * settings the server understands, with the server's types, defaults and descriptions.
 *
 *   node scripts/generate-configuration.mjs          rewrite package.json
 *   node scripts/generate-configuration.mjs --check  exit 1 when package.json is out of date
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const extensionRoot = join(here, "..");
const schemaPath = join(extensionRoot, "..", "..", "server", "settings", "schema.json");
const packagePath = join(extensionRoot, "package.json");

/** Settings of the extension itself (how to start the server); not part of the server schema. */
const extensionProperties = {
  "codegen.server.path": {
    type: "string",
    default: "",
    scope: "machine-overridable",
    description:
      "Path of the codegen-language-server executable. Empty: `codegen-language-server` from PATH.",
  },
  "codegen.server.args": {
    type: "array",
    items: { type: "string" },
    default: [],
    scope: "machine-overridable",
    description: "Extra arguments for the server, before `--stdio`.",
  },
};

/** JSON Schema keywords VS Code's configuration schema understands on a setting. */
const copiedKeywords = [
  "type",
  "enum",
  "default",
  "description",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "pattern",
  "items",
  "additionalProperties",
  "properties",
  "required",
  "uniqueItems",
  "minItems",
  "maxItems",
];

/**
 * Flattens the schema into VS Code settings: an object with `properties` becomes a group of
 * dotted keys (`codegen.completion.model`); anything else (strings, numbers, arrays...) is one
 * setting carrying the schema's own keywords.
 */
export function configurationFromSchema(schema) {
  const properties = {};
  const walk = (node, path) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const key = [...path, name];
      if (child.type === "object" && child.properties) {
        walk(child, key);
        continue;
      }
      const setting = {};
      for (const keyword of copiedKeywords) {
        if (child[keyword] !== undefined) setting[keyword] = child[keyword];
      }
      // The API key is a secret: keep it out of settings that sync between machines.
      if (name === "apiKey") setting.scope = "machine";
      properties[`codegen.${key.join(".")}`] = setting;
    }
  };
  walk(schema, []);
  for (const key of Object.keys(extensionProperties)) {
    if (key in properties) throw new Error(`${key} is both a server setting and an extension setting`);
  }
  return {
    type: "object",
    title: "Codegen Language Server",
    properties: { ...extensionProperties, ...properties },
  };
}

function main() {
  const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
  const text = readFileSync(packagePath, "utf8");
  const pkg = JSON.parse(text);
  pkg.contributes = { ...pkg.contributes, configuration: configurationFromSchema(schema) };
  const next = JSON.stringify(pkg, null, 2) + "\n";
  if (process.argv.includes("--check")) {
    if (next !== text) {
      console.error(
        "client-configs/vscode/package.json no longer matches server/settings/schema.json: run " +
          "`npm run generate --prefix client-configs/vscode` and commit client-configs/vscode/package.json.",
      );
      process.exit(1);
    }
    console.log("package.json contributes.configuration matches server/settings/schema.json");
    return;
  }
  if (next !== text) writeFileSync(packagePath, next);
  console.log(`wrote ${Object.keys(pkg.contributes.configuration.properties).length} settings to package.json`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
