/**
 * `codegen-language-server --check`: resolves the settings exactly as the server would (defaults,
 * environment, then `--settings` in the place of initializationOptions), prints them with the
 * API key masked, asks the endpoint for its models and one tiny completion, and says in plain
 * words what works. Exit code 0 only when a completion came back.
 */
import { existsSync, readFileSync } from "node:fs";
import { checkEndpoint } from "./llm/check.js";
import { formatLogLine, levelEnabled, redact } from "./log.js";
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

  // NOTE: 3 s for the model list keeps "unreachable" (even a host that drops packets) under 5 s in
  // total; the completion itself gets the normal request timeout, since a local server may first
  // have to load the model. With logLevel debug every request is traced on stderr.
  const report = await checkEndpoint(settings, {
    listTimeoutMs: Math.min(settings.requestTimeoutMs, 3000),
    log: (level, message) => {
      if (levelEnabled(level, settings.logLevel) && level === "debug") process.stderr.write(formatLogLine(level, redact(message, [settings.apiKey])) + "\n");
    },
  });
  for (const line of report.lines) out(line);
  return report.ok ? 0 : 1;
}
