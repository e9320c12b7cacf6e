/**
 * What the editor tests do, independent of the editor: the stub files opened in each language,
 * where the cursor goes for each feature, what the fake model answers, and what the user must
 * see afterwards. Both editors run the same scenarios, so a difference between them is a bug in
 * one editor's path through the server (resolve vs executeCommand, markdown rendering...).
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import { formatLogs, makeWorkspace, runProcess, tail, type RunResult } from "./harness.js";

/** A zero-based position, as LSP and both drivers count it (ASCII fixtures: bytes = UTF-16 units). */
export interface Position {
  line: number;
  character: number;
}

export interface LanguageScenario {
  name: string;
  file: string;
  text: string;
  /** On the stub's name: "Generate implementation" must be offered here. */
  action: Position;
  /** What the fake model answers to "Generate implementation". */
  implementation: string;
  /** Lines the buffer must hold after the action (the model's code, re-indented). */
  expectAfterAction: string[];
  /** Text of the stub body that must be gone after the action. */
  stubMarker: string;
  /** On a call of a function defined in the same file. */
  hover: Position;
  /** At the end of an unfinished line. */
  completion: Position;
  completionReply: string;
}

/** The position of `needle` in the first line that is (or, when `exact` is false, contains) `lineText`; `after` puts it past the needle. */
function positionOf(text: string, lineText: string, needle: string, after = false, exact = false): Position {
  const lines = text.split("\n");
  const line = lines.findIndex((l) => (exact ? l === lineText : l.includes(lineText)));
  assert.ok(line >= 0, `fixture has no line ${exact ? "equal to" : "containing"} ${JSON.stringify(lineText)}`);
  const character = lines[line]!.indexOf(needle);
  assert.ok(character >= 0, `line ${line} has no ${needle}`);
  return { line, character: after ? character + needle.length : character };
}

const typescriptText = `export function clamp(value: number, min: number, max: number): number {
  throw new Error("not implemented");
}

export function double(n: number): number {
  return n * 2;
}

export function quadruple(n: number): number {
  const twice = double(n);
  return 
}
`;

const pythonText = `def clamp(value, low, high):
    """Limit value to the range [low, high]."""
    raise NotImplementedError


def double(n):
    return n * 2


def quadruple(n):
    twice = double(n)
    return 
`;

export const languages: LanguageScenario[] = [
  {
    name: "TypeScript",
    file: "shapes.ts",
    text: typescriptText,
    action: positionOf(typescriptText, "function clamp", "clamp"),
    implementation: "```typescript\nif (value < min) return min;\nif (value > max) return max;\nreturn value;\n```",
    expectAfterAction: ["  if (value < min) return min;", "  if (value > max) return max;", "  return value;"],
    stubMarker: 'throw new Error("not implemented")',
    hover: positionOf(typescriptText, "const twice = double(n)", "double"),
    completion: positionOf(typescriptText, "  return ", "return ", true, true),
    completionReply: "double(twice);",
  },
  {
    name: "Python",
    file: "shapes.py",
    text: pythonText,
    action: positionOf(pythonText, "def clamp", "clamp"),
    implementation: "```python\nif value < low:\n    return low\nif value > high:\n    return high\nreturn value\n```",
    expectAfterAction: ["    if value < low:", "        return low", "    if value > high:", "        return high", "    return value"],
    stubMarker: "raise NotImplementedError",
    hover: positionOf(pythonText, "twice = double(n)", "double"),
    completion: positionOf(pythonText, "    return ", "return ", true, true),
    completionReply: "double(twice)",
  },
];

/** The fake model's explanation; hover must show it. */
export const hoverReply =
  "Doubles the number `n` and returns the result.\n\n- **n**: the number to double.\n- **returns**: `n * 2`.";
export const hoverMustShow = "Doubles the number";

/** One step of a driver's plan; drivers ignore fields a step kind does not use. */
export interface Step {
  kind: "settings" | "codeActions" | "hover" | "completion" | "open" | "shutdown";
  /** For "open": a file of the workspace (relative), opened after the first one. */
  file?: string;
  line?: number;
  character?: number;
  choose?: string;
  timeoutMs?: number;
}

/** What a driver wrote after its run. */
export interface DriverResult {
  ok: boolean;
  error?: string;
  failedStep?: string;
  steps: Array<Record<string, any> & { kind: string }>;
  messages: Array<{ kind: string; text: string }>;
  [key: string]: any;
}

/** How to run one editor with a plan. */
export interface EditorDriver {
  name: string;
  /** How "Generate implementation" reaches this editor (GUIDE §4): resolve, or a command + applyEdit. */
  actionPath: "resolve" | "command";
  /** The user config under client-configs/ that the run loads. */
  config: string;
  command(planPath: string, home: string): { command: string; args: string[]; env: NodeJS.ProcessEnv };
  /**
   * A known server bug that stops this editor's test of `feature`, as a sentence, or undefined.
   * The test is pending while the bug is there and runs again by itself once it is fixed.
   */
  knownBug?(feature: "lifecycle" | "actions" | "hover" | "completion"): string | undefined;
  /** Logs worth printing when a run fails, besides the server's log file. */
  logs(result: DriverResult | undefined, plan: Plan, home: string): Record<string, string>;
}

export interface Plan {
  config: string;
  overrides: Record<string, unknown>;
  file: string;
  result: string;
  eventsLog: string;
  steps: Step[];
  attachTimeoutMs: number;
  stepTimeoutMs: number;
  totalTimeoutMs: number;
}

/** Generous: 2 cores shared with seven other engineers' builds and tests. */
export const timeouts = { attachMs: 45_000, stepMs: 45_000, totalMs: 150_000, mochaMs: 200_000 };

export interface RunOutcome {
  result: DriverResult;
  run: RunResult;
  /** The project folder the editor opened (removed after `verify`). */
  workspaceDir: string;
  /** Throws an assertion error carrying every log when `check` fails. */
  verify(check: (result: DriverResult) => void): void;
}

/** The environment an editor runs in: the shim first on PATH, no model settings leaking in from the host. */
export function editorEnv(binDir: string, home: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("OPENAI_") || k.startsWith("CODEGEN_")) continue;
    env[k] = v;
  }
  return { ...env, HOME: home, PATH: `${binDir}:${process.env.PATH ?? ""}`, ...extra };
}

/** Runs `driver` on the scenario's file with `steps`, the fake model answering `reply`. */
export async function runEditor(
  driver: EditorDriver,
  fake: FakeLlm,
  scenario: LanguageScenario,
  steps: Step[],
  reply: string,
  otherFiles: LanguageScenario[] = [],
): Promise<RunOutcome> {
  const ws = makeWorkspace(driver.name.toLowerCase().replace(/\W+/g, ""));
  for (const other of otherFiles) ws.write(other.file, other.text);
  // Drivers get absolute paths for the files that "open" steps name.
  steps = steps.map((s) => (s.file ? { ...s, file: join(ws.dir, s.file) } : s));
  const home = mkdtempSync(join(tmpdir(), "codegen-home-"));
  fake.reset();
  fake.setDefault({ text: reply });
  const serverLog = join(ws.dir, "..", "server.log");
  const plan: Plan = {
    config: driver.config,
    overrides: {
      provider: "custom",
      baseUrl: fake.url,
      apiKey: "test-key-not-secret",
      model: "fake-coder",
      logLevel: "debug",
      logFile: serverLog,
      completion: { debounceMinMs: 0, debounceMaxMs: 0 },
      hover: { minDelayMs: 0 },
    },
    file: ws.write(scenario.file, scenario.text),
    result: join(ws.dir, "..", "result.json"),
    eventsLog: join(ws.dir, "..", "events.log"),
    steps,
    attachTimeoutMs: timeouts.attachMs,
    stepTimeoutMs: timeouts.stepMs,
    totalTimeoutMs: timeouts.totalMs,
  };
  const planPath = join(ws.dir, "..", "plan.json");
  writeFileSync(planPath, JSON.stringify(plan, null, 2));
  const { command, args, env } = driver.command(planPath, home);
  const run = await runProcess(command, args, {
    env: { ...editorEnv(ws.binDir, home, env), CODEGEN_TEST_PLAN: planPath },
    cwd: ws.dir,
    timeoutMs: timeouts.totalMs + 20_000,
  });
  let result: DriverResult | undefined;
  if (existsSync(plan.result)) {
    try {
      result = JSON.parse(readFileSync(plan.result, "utf8")) as DriverResult;
    } catch {
      result = undefined;
    }
  }
  const report = (headline: string) =>
    `${headline}\n` +
    formatLogs({
      [`${driver.name} exit`]: `code ${run.code} signal ${run.signal}${run.timedOut ? " (killed: no result before the deadline)" : ""}`,
      [`${driver.name} stderr`]: run.stderr.slice(-6000),
      [`${driver.name} stdout`]: run.stdout.slice(-3000),
      "driver result": result ? JSON.stringify({ ...result, serverCapabilities: undefined }, null, 2).slice(0, 8000) : "(none written)",
      ...driver.logs(result, plan, home),
      "server log file": tail(serverLog),
      "fake LLM requests": fake.requests.map((r) => `${r.method} ${r.path} → ${r.endpoint}`).join("\n"),
    });
  const cleanup = () => {
    ws.remove();
    rmSync(home, { recursive: true, force: true });
  };
  if (!result || !result.ok) {
    const message = report(
      result
        ? `${driver.name} run failed in step "${result.failedStep}": ${result.error}`
        : `${driver.name} wrote no result (exit code ${run.code}${run.timedOut ? ", killed after the deadline" : ""})`,
    );
    cleanup();
    throw new Error(message);
  }
  return {
    result,
    run,
    workspaceDir: ws.dir,
    verify(check) {
      try {
        check(result!);
      } catch (e) {
        const err = e as Error;
        err.message = report(err.message);
        throw err;
      } finally {
        cleanup();
      }
    },
  };
}

/** Starts the fake model for a suite. */
export function fakeLlmForSuite(): { get(): FakeLlm } {
  let fake: FakeLlm | undefined;
  before(async () => {
    fake = await startFakeLlm({ models: ["fake-coder"] });
  });
  after(async () => {
    await fake?.close();
  });
  return {
    get() {
      if (!fake) throw new Error("fake LLM not started");
      return fake;
    },
  };
}

/** The step's output of the given kind (drivers record steps in order). */
export function stepOf(result: DriverResult, kind: Step["kind"]): Record<string, any> {
  const step = result.steps.find((s) => s.kind === kind);
  assert.ok(step, `the driver recorded no ${kind} step`);
  return step;
}

/** How many times `needle` occurs in `text`. */
export function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
