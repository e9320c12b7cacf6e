/**
 * `codegen-language-server --check`: resolves the settings exactly as the server would (defaults,
 * environment, then `--settings` in the place of initializationOptions), prints them with the
 * API key masked, asks the endpoint for its models and one tiny completion, and says in plain
 * words what works. Exit code 0 only when a completion came back.
 */
import { existsSync, readFileSync } from "node:fs";
import { createLlmClient } from "./llm/client.js";
import { packageVersion } from "./paths.js";
import { resolveFimMode } from "./settings/providers.js";
import { describeSettings, maskedSettings, SettingsResolver } from "./settings/resolve.js";
import type { Settings } from "./settings/types.js";

/** Inputs of the check: the `--settings` argument, the environment, and where lines go. */
export interface CheckOptions {
  /** A JSON file path or an inline JSON object, read like initializationOptions. */
  settings?: string;
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
}

/** Reads `--settings`: inline JSON when it starts with "{", else a file. */
function readSettingsArg(arg: string): unknown {
  const text = arg.trim().startsWith("{") ? arg : existsSync(arg) ? readFileSync(arg, "utf8") : undefined;
  if (text === undefined) throw new Error(`--settings: no such file ${arg}`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`--settings: not valid JSON (${(e as Error).message})`);
  }
}

/** Resolves the settings for --check and returns them with any problems. */
export function resolveCheckSettings(opts: Pick<CheckOptions, "settings" | "env">): { settings: Settings; problems: string[] } {
  const resolver = new SettingsResolver(opts.env);
  if (opts.settings !== undefined) resolver.setLayer("initializationOptions", readSettingsArg(opts.settings));
  return resolver.resolve();
}

/** Runs the check and returns the exit code. */
export async function runCheck(opts: CheckOptions): Promise<number> {
  const out = opts.out;
  let resolved: { settings: Settings; problems: string[] };
  try {
    resolved = resolveCheckSettings(opts);
  } catch (e) {
    out(`FAIL: ${(e as Error).message}`);
    return 2;
  }
  const { settings, problems } = resolved;
  out(`codegen-language-server ${packageVersion()} --check`);
  out(`Settings: ${describeSettings(settings)}; completions via ${resolveFimMode(settings)}`);
  for (const line of JSON.stringify(maskedSettings(settings), null, 2).split("\n")) out(`  ${line}`);
  for (const p of problems) out(`warning: ${p}`);

  const report = await probeEndpoint(settings);
  for (const step of report.steps) out(`${step.ok ? "ok  " : "FAIL"} ${step.message}`);
  if (report.ok) {
    out(`OK: ${settings.baseUrl} answered a completion with model '${settings.completion.model}'.`);
    return 0;
  }
  out(`FAIL: ${report.cause}`);
  return 1;
}

/** What the endpoint probe found: one line per step, whether a completion came back, and the cause when not. */
interface ProbeReport {
  ok: boolean;
  steps: Array<{ ok: boolean; message: string }>;
  cause?: string;
}

/**
 * Asks for the model list (with a short deadline so an unreachable endpoint fails fast), then for
 * one tiny chat completion with the completion model.
 */
async function probeEndpoint(settings: Settings): Promise<ProbeReport> {
  const steps: ProbeReport["steps"] = [];
  // NOTE: a short total deadline and no retries: --check must fail within 5 s when nothing listens.
  const quick = createLlmClient({ ...settings, requestTimeoutMs: Math.min(settings.requestTimeoutMs, 4000), maxRetries: 0 });
  let models: string[] = [];
  try {
    models = await quick.listModels();
    steps.push({ ok: true, message: `the endpoint offers ${models.length} model${models.length === 1 ? "" : "s"}: ${models.join(", ") || "(none listed)"}` });
  } catch (e) {
    const err = e as Error & { kind?: string };
    if (err.kind === "unreachable" || err.kind === "timeout" || err.kind === "auth") return { ok: false, steps, cause: err.message };
    steps.push({ ok: false, message: `listing models failed: ${err.message}` });
  }
  const model = settings.completion.model;
  if (models.length > 0 && !models.includes(model)) {
    steps.push({ ok: false, message: `model '${model}' is not in the list; the endpoint offers: ${models.join(", ")}` });
  }
  const client = createLlmClient({ ...settings, maxRetries: 0 });
  try {
    const text = await client.chat({ model, maxTokens: 8, temperature: 0, messages: [{ role: "user", content: "Reply with the word OK." }] });
    steps.push({ ok: true, message: `model '${model}' answered: ${JSON.stringify(text.slice(0, 60))}` });
    return { ok: true, steps };
  } catch (e) {
    const err = e as Error;
    const offer = models.length > 0 && /not found/.test(err.message) ? `; the endpoint offers: ${models.join(", ")}` : "";
    return { ok: false, steps, cause: `${err.message}${offer}` };
  }
}
