import type { ErrorObject } from "ajv";
import { guessProvider, presetFor } from "./providers.js";
import { envSettings } from "./env.js";
import { schemaDefaults } from "./schema.js";
import type { ProviderName, Settings } from "./types.js";
import { settingsValidator } from "./validator.js";

type Obj = Record<string, unknown>;

/** The sources of settings, lowest priority first (defaults come before all of them). */
export const layerOrder = ["env", "initializationOptions", "didChangeConfiguration", "workspaceConfiguration"] as const;
export type LayerName = (typeof layerOrder)[number];

const layerLabel: Record<LayerName, string> = {
  env: "environment",
  initializationOptions: "initializationOptions",
  didChangeConfiguration: "didChangeConfiguration",
  workspaceConfiguration: "workspace/configuration",
};

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Merges `over` into a copy of `base`: objects merge key by key, anything else replaces; null and undefined mean "not set". */
export function deepMerge(base: Obj, over: unknown): Obj {
  const out: Obj = structuredClone(base);
  if (!isObj(over)) return out;
  for (const [k, v] of Object.entries(over)) {
    if (v === null || v === undefined) continue;
    out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k] as Obj, v) : structuredClone(v);
  }
  return out;
}

/**
 * Editors send either our settings object or a wrapper holding it under "codegen" (VS Code and
 * Neovim's `settings = { codegen = {...} }`); both are accepted.
 */
export function unwrapSection(value: unknown): Obj | undefined {
  if (!isObj(value)) return undefined;
  return isObj(value.codegen) ? value.codegen : value;
}

/** Shows enough of an API key to recognise it, never enough to use it. */
export function maskKey(key: string): string {
  if (!key) return "(not set)";
  if (key.length < 16) return "****";
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

/** A copy of the settings that is safe to print or log. */
export function maskedSettings(settings: Settings): Settings {
  return { ...structuredClone(settings), apiKey: maskKey(settings.apiKey) };
}

/** A one-line summary of the settings that matter when something does not work (key masked). */
export function describeSettings(s: Settings): string {
  return `provider ${s.provider} at ${s.baseUrl}, API key ${maskKey(s.apiKey)}, models: completion ${s.completion.model}, actions ${s.actions.model}, hover ${s.hover.model}`;
}

function validate(value: Obj): ErrorObject[] {
  const validator = settingsValidator();
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

function getPath(obj: unknown, path: string[]): unknown {
  let node = obj;
  for (const p of path) node = isObj(node) || Array.isArray(node) ? (node as Obj)[p] : undefined;
  return node;
}

function setOrDelete(obj: Obj, path: string[], value: unknown): void {
  let node: Obj = obj;
  for (const p of path.slice(0, -1)) {
    if (!isObj(node[p])) node[p] = {};
    node = node[p] as Obj;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = structuredClone(value);
}

/** "actions.custom[0].title" from ["actions","custom","0","title"]. */
function dotted(path: string[]): string {
  return path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** A value as quoted in a problem message: the API key is never shown, big objects are summarised. */
function shown(path: string[], value: unknown): string {
  if (path[0] === "apiKey") return "(hidden)";
  if (value === undefined) return "the default";
  const text = JSON.stringify(value);
  return text.length > 80 ? "the previous value" : text;
}

/** Where a problem must be reverted: a bad array element reverts its whole array. */
function revertPath(path: string[]): string[] {
  const i = path.findIndex((p) => /^\d+$/.test(p));
  return i < 0 ? path : path.slice(0, i);
}

/** Fills in what the raw settings leave to the provider preset: provider, base URL and the model of each task. */
function finish(raw: Obj, user: Obj): Settings {
  const s = structuredClone(raw) as unknown as Settings;
  const userBaseUrl = typeof user.baseUrl === "string" ? user.baseUrl.trim() : "";
  const userKey = typeof user.apiKey === "string" ? user.apiKey : "";
  // NOTE: with nothing configured, OpenAI when a key is present, else a local Ollama (issue 2).
  const provider: ProviderName =
    typeof user.provider === "string" ? (user.provider as ProviderName) : userBaseUrl ? guessProvider(userBaseUrl) : userKey ? "openai" : "ollama";
  const preset = presetFor(provider);
  s.provider = provider;
  s.baseUrl = (userBaseUrl || preset.baseUrl).replace(/\/+$/, "");
  s.completion.model = s.completion.model || s.model || preset.completionModel;
  s.actions.model = s.actions.model || s.model || preset.chatModel;
  s.hover.model = s.hover.model || s.model || preset.chatModel;
  s.actions.custom = s.actions.custom.map((a) => ({ ...a, targets: a.targets ?? ["function", "selection"] }));
  return s;
}

export interface ResolveResult {
  settings: Settings;
  /** One line per problem, naming the key and the source; empty when everything was valid. */
  problems: string[];
}

/**
 * Holds every settings source and merges them in priority order: defaults < environment <
 * initializationOptions < didChangeConfiguration < workspace/configuration. Invalid values are
 * reported and replaced by the last valid value of the same key, so one typo never resets the rest.
 */
export class SettingsResolver {
  private layers: Partial<Record<LayerName, Obj>> = {};
  private lastValid: Obj;
  /** The user-set part (no defaults) of the last valid settings; decides provider guessing. */
  private lastUser: Obj = {};
  private current: Settings;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.lastValid = schemaDefaults();
    this.layers.env = envSettings(env);
    this.current = finish(this.lastValid, {});
  }

  /** Replaces one source (unwrapping a "codegen" section); call `resolve()` afterwards. */
  setLayer(name: LayerName, value: unknown): void {
    const v = unwrapSection(value);
    if (v) this.layers[name] = v;
    else delete this.layers[name];
  }

  /** The settings of the last `resolve()`. */
  settings(): Settings {
    return this.current;
  }

  /** Merges all sources, validates, reverts invalid keys, and stores the result. */
  resolve(): ResolveResult {
    let user: Obj = {};
    for (const name of layerOrder) user = deepMerge(user, this.layers[name]);
    let merged = deepMerge(schemaDefaults(), user);
    const problems: string[] = [];
    for (let round = 0; round < 3; round++) {
      const errors = validate(merged);
      const cross = this.crossFieldProblems(merged);
      if (errors.length === 0 && cross.length === 0) break;
      for (const e of errors) {
        const path = e.instancePath.split("/").filter(Boolean);
        if (e.keyword === "additionalProperties") {
          const extra = String((e.params as { additionalProperty: string }).additionalProperty);
          const full = [...path, extra];
          problems.push(`unknown setting "${dotted(full)}"${this.source(full)} is ignored`);
          setOrDelete(merged, full, undefined);
          setOrDelete(user, full, undefined);
          continue;
        }
        const detail = e.keyword === "enum" ? `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}` : e.message;
        const back = revertPath(path);
        problems.push(`setting "${dotted(path)}"${this.source(path)} ${detail} (got ${shown(path, getPath(merged, path))}); keeping ${shown(back, getPath(this.current, back))}`);
        setOrDelete(merged, back, getPath(this.lastValid, back));
        setOrDelete(user, back, getPath(this.lastUser, back));
      }
      for (const c of cross) {
        problems.push(c.message);
        for (const p of c.paths) {
          setOrDelete(merged, p, getPath(this.lastValid, p));
          setOrDelete(user, p, getPath(this.lastUser, p));
        }
      }
      if (round === 2) {
        merged = structuredClone(this.lastValid);
        user = structuredClone(this.lastUser);
      }
    }
    // Dedupe: the same key can fail several keywords (type and minimum) in one round.
    const unique = [...new Set(problems)];
    this.lastValid = merged;
    this.lastUser = user;
    this.current = finish(merged, user);
    return { settings: this.current, problems: unique };
  }

  /** Rules JSON Schema draft-07 cannot express. */
  private crossFieldProblems(merged: Obj): Array<{ message: string; paths: string[][] }> {
    const c = merged.completion as Obj | undefined;
    if (isObj(c) && typeof c.debounceMinMs === "number" && typeof c.debounceMaxMs === "number" && c.debounceMinMs > c.debounceMaxMs) {
      return [
        {
          message: `setting "completion.debounceMinMs" (${c.debounceMinMs}) must not exceed "completion.debounceMaxMs" (${c.debounceMaxMs}); keeping the previous values`,
          paths: [["completion", "debounceMinMs"], ["completion", "debounceMaxMs"]],
        },
      ];
    }
    return [];
  }

  /** " (from initializationOptions)": the highest-priority source that set this key. */
  private source(path: string[]): string {
    for (const name of [...layerOrder].reverse()) {
      if (getPath(this.layers[name], path) !== undefined) return ` (from ${layerLabel[name]})`;
    }
    return "";
  }
}
