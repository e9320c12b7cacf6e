/**
 * `--check`: asks the configured endpoint, step by step, whether it will work, and says what is
 * wrong in plain words. Steps: can we list its models; are the configured models among them; does
 * a tiny completion come back along the path completions will really take (chat, completions with
 * suffix, completions with a template, or llama.cpp's /infill).
 */
import { presetFor, resolveFimMode } from "../settings/providers.js";
import type { Settings } from "../settings/types.js";
import { createLlmClient, type LlmLog } from "./client.js";
import { displayUrl, toLlmError } from "./errors.js";
import type { LlmErrorKind } from "./types.js";

export type CheckStepName = "models" | "configured-models" | "completion";

export interface CheckStep {
  name: CheckStepName;
  status: "ok" | "warn" | "fail" | "skipped";
  /** Plain-words lines, one per finding. */
  lines: string[];
}

export interface CheckReport {
  /** True only when a completion came back (the `--check` exit code is 0 exactly then). */
  ok: boolean;
  /** The base URL as shown to users (no credentials). */
  baseUrl: string;
  provider: string;
  /** The model ids the endpoint offers, when it listed them. */
  models?: string[];
  steps: CheckStep[];
  /** One line: "OK …" or the first cause of failure. */
  summary: string;
  /** The kind of the failure that decided the result, when there was one. */
  errorKind?: LlmErrorKind;
  /** Every line of the report, ready to print. */
  lines: string[];
}

export interface CheckOptions {
  signal?: AbortSignal;
  log?: LlmLog;
  /** Budget for listing the models; it decides how fast an unreachable endpoint is reported. */
  listTimeoutMs?: number;
  /** Budget for the tiny completion (a local server may have to load the model first). */
  completionTimeoutMs?: number;
}

/** Most model ids listed in one line before "and N more". */
const MAX_LISTED = 12;

/** Checks the endpoint the settings point at and returns a structured, plain-words report. */
export async function checkEndpoint(settings: Settings, opts: CheckOptions = {}): Promise<CheckReport> {
  const preset = presetFor(settings.provider);
  const where = displayUrl(settings.baseUrl);
  // NOTE: no retries here, so an unreachable or failing endpoint is reported within seconds.
  const client = createLlmClient({ ...settings, maxRetries: 0 }, opts.log);
  const listTimeoutMs = opts.listTimeoutMs ?? Math.min(settings.requestTimeoutMs, 4000);
  const completionTimeoutMs = opts.completionTimeoutMs ?? settings.requestTimeoutMs;
  const steps: CheckStep[] = [];
  const errCtx = { baseUrl: settings.baseUrl, apiKey: settings.apiKey, provider: settings.provider };

  const report = (ok: boolean, summary: string, errorKind?: LlmErrorKind, models?: string[]): CheckReport => {
    const lines = [`endpoint: ${where} (${preset.label})`];
    for (const s of steps) for (const l of s.lines) lines.push(`[${s.status}] ${l}`);
    lines.push(summary);
    return { ok, baseUrl: where, provider: settings.provider, models, steps, summary, errorKind, lines };
  };

  // Step 1: the model list.
  let models: string[] | undefined;
  try {
    models = await client.listModels(withTimeout(opts.signal, listTimeoutMs));
    steps.push({ name: "models", status: "ok", lines: [`the endpoint offers ${describeList(models)}`] });
  } catch (err) {
    const e = toLlmError(err, { ...errCtx, endpoint: "models" });
    const timedOut = e.kind === "aborted" && !opts.signal?.aborted;
    const message = timedOut ? `cannot reach ${where} — no answer within ${listTimeoutMs} ms; ${preset.startHint}` : e.message;
    if (e.kind === "not-found" || e.kind === "bad-response" || e.kind === "bad-request") {
      // Some servers have no (or an odd) model list but still complete: go on to the real test.
      steps.push({ name: "models", status: "warn", lines: [`could not list the models: ${message}`] });
    } else {
      steps.push({ name: "models", status: "fail", lines: [message] });
      steps.push({ name: "configured-models", status: "skipped", lines: [] });
      steps.push({ name: "completion", status: "skipped", lines: [] });
      return report(false, `FAILED: ${message}`, timedOut ? "timeout" : e.kind);
    }
  }

  // Step 2: are the configured models there?
  const wanted = configuredModels(settings);
  if (!models) {
    steps.push({ name: "configured-models", status: "skipped", lines: ["cannot tell whether the configured models exist"] });
  } else if (settings.provider === "llamacpp") {
    steps.push({ name: "configured-models", status: "skipped", lines: ["llama.cpp serves the model it was started with; model names are not checked"] });
  } else {
    const lines: string[] = [];
    let missing = 0;
    for (const [model, uses] of wanted) {
      if (hasModel(models, model)) lines.push(`model '${model}' (${uses.join(", ")}) is available`);
      else {
        missing++;
        lines.push(`model '${model}' (${uses.join(", ")}) not found; the endpoint offers: ${listed(models)}`);
      }
    }
    steps.push({ name: "configured-models", status: missing > 0 ? "fail" : "ok", lines });
  }

  // Step 3: one tiny completion along the path completions really take.
  const mode = resolveFimMode(settings);
  const model = settings.completion.model;
  const started = Date.now();
  const base = { model, maxTokens: 8, temperature: 0, signal: opts.signal, timeoutMs: completionTimeoutMs };
  const prefix = "def add(a, b):\n    return";
  try {
    let text: string;
    let via: string;
    switch (mode) {
      case "chat":
        via = "chat/completions";
        text = await client.chat({ ...base, messages: [{ role: "user", content: "Reply with the single word: ok" }] });
        break;
      case "llamacpp-infill":
        via = "/infill";
        text = await join(client.infillStream({ ...base, prefix, suffix: "\n" }));
        break;
      case "completions-suffix":
        via = "completions with suffix";
        text = await join(client.completeStream({ ...base, prompt: prefix, suffix: "\n" }));
        break;
      default:
        via = "completions";
        text = await join(client.completeStream({ ...base, prompt: prefix }));
        break;
    }
    const shown = JSON.stringify(text.length > 40 ? text.slice(0, 39) + "…" : text);
    const ms = Date.now() - started;
    steps.push({
      name: "completion",
      status: text.trim() === "" ? "warn" : "ok",
      lines: [text.trim() === "" ? `a completion via ${via} (model '${model}') came back empty in ${ms} ms` : `a completion via ${via} (model '${model}') came back in ${ms} ms: ${shown}`],
    });
    return report(true, `OK: ${where} answered a completion with model '${model}'`, undefined, models);
  } catch (err) {
    const e = toLlmError(err, { ...errCtx, model, endpoint: mode === "llamacpp-infill" ? "infill" : mode === "chat" ? "chat/completions" : "completions" });
    let message = e.message;
    if (e.kind === "timeout") message = `no completion within ${completionTimeoutMs} ms (model '${model}' may still be loading; try again, or raise requestTimeoutMs)`;
    if (e.kind === "not-found" && models && /model/.test(message)) message = `model '${model}' not found; the endpoint offers: ${listed(models)}`;
    steps.push({ name: "completion", status: "fail", lines: [message] });
    return report(false, `FAILED: ${message}`, e.kind, models);
  }
}

/** The distinct models the settings use, each with the tasks that use it. */
function configuredModels(settings: Settings): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (model: string | undefined, use: string, enabled: boolean) => {
    if (!model || !enabled) return;
    out.set(model, [...(out.get(model) ?? []), use]);
  };
  add(settings.completion.model, "completion", settings.completion.enabled);
  add(settings.actions.model, "actions", settings.actions.enabled);
  add(settings.hover.model, "hover", settings.hover.enabled);
  for (const c of settings.actions.custom ?? []) add(c.model, `action '${c.title}'`, settings.actions.enabled);
  return out;
}

/** Ollama treats a name without a tag as ":latest", so "llama3" matches "llama3:latest". */
function hasModel(models: string[], model: string): boolean {
  return models.includes(model) || (!model.includes(":") && models.includes(`${model}:latest`));
}

function describeList(models: string[]): string {
  if (models.length === 0) return "no models";
  return `${models.length} model${models.length === 1 ? "" : "s"}: ${listed(models)}`;
}

function listed(models: string[]): string {
  if (models.length === 0) return "(none)";
  const shown = models.slice(0, MAX_LISTED).join(", ");
  return models.length > MAX_LISTED ? `${shown} and ${models.length - MAX_LISTED} more` : shown;
}

function withTimeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const t = AbortSignal.timeout(Math.max(1, ms));
  return signal ? AbortSignal.any([signal, t]) : t;
}

async function join(stream: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const t of stream) text += t;
  return text;
}
