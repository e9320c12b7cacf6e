/**
 * Shared plumbing for the end-to-end tests that drive real editors (Neovim, Emacs + eglot)
 * against the built server: finding the editors, a throwaway workspace, a `codegen-language-server`
 * executable on PATH (so the user configs run exactly as written), running an editor with a
 * deadline, and printing every log when a run fails.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Context } from "mocha";
import { packageRoot } from "../../server/paths.js";

/** The repository root (holds package.json, dist/, client-configs/). */
export const repoRoot = packageRoot();

/** True when CI=true: there a missing editor is a failure, not a skip. */
export const inCi = process.env.CI === "true";

/** Whether `command` is on PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/** Whether batch Emacs can load eglot (built in from Emacs 29, elpa-eglot on Debian's 28). */
export function hasEglot(): boolean {
  if (!hasCommand("emacs")) return false;
  const r = spawnSync("emacs", ["--batch", "--eval", "(require 'eglot)"], { stdio: "ignore", timeout: 60_000 });
  return r.status === 0;
}

/**
 * Skips the calling suite when the editor is missing, saying why; under CI=true a missing editor
 * fails instead, because .ci/run installs the editors.
 */
export function requireEditor(ctx: Context, what: string, available: boolean): void {
  if (available) return;
  const message = `${what} is not installed (apt-get install -y neovim emacs-nox elpa-eglot, or run .ci/run as root)`;
  if (inCi) throw new Error(`${message}; CI=true, so the editor tests must run`);
  console.log(`      skipping editor tests: ${message}`);
  ctx.skip();
}

/** A temporary folder with a git repository (both editors find the project root through it). */
export interface Workspace {
  dir: string;
  /** Folder holding the `codegen-language-server` shim; put it first on PATH. */
  binDir: string;
  /** Writes a file under the workspace and returns its absolute path. */
  write(relative: string, text: string): string;
  remove(): void;
}

/** Creates a workspace with a shim that runs dist/server/cli.js under this Node. */
export function makeWorkspace(prefix: string): Workspace {
  const root = mkdtempSync(join(tmpdir(), `codegen-${prefix}-`));
  const dir = join(root, "project");
  const binDir = join(root, "bin");
  mkdirSync(dir, { recursive: true });
  mkdirSync(binDir, { recursive: true });
  const git = spawnSync("git", ["init", "-q", dir], { stdio: "ignore" });
  if (git.status !== 0) mkdirSync(join(dir, ".git"), { recursive: true });
  const cli = join(repoRoot, "dist", "server", "cli.js");
  const shim = join(binDir, "codegen-language-server");
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} "$@"\n`);
  chmodSync(shim, 0o755);
  return {
    dir,
    binDir,
    write(relative, text) {
      const path = join(dir, relative);
      writeFileSync(path, text);
      return path;
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a process with no stdin and kills it (and says so) when it outlives `timeoutMs`. */
export function runProcess(
  command: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs);
    child.on("error", (e) => {
      stderr += `\nspawn failed: ${e.message}`;
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** The file's text (its last `maxChars` characters), or a note that it does not exist. */
export function tail(path: string | undefined, maxChars = 12_000): string {
  if (!path) return "(no path)";
  if (!existsSync(path)) return `(${path} does not exist)`;
  const text = readFileSync(path, "utf8");
  return text.length > maxChars ? `…${text.slice(-maxChars)}` : text;
}

/** One labelled block per log, for the message of a failed assertion. */
export function formatLogs(logs: Record<string, string>): string {
  return Object.entries(logs)
    .map(([label, text]) => `----- ${label} -----\n${text.trimEnd() || "(empty)"}`)
    .join("\n");
}
