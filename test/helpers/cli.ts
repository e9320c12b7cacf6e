/**
 * Runs the built command line (`node dist/server/cli.js ...`) to completion, with the same clean
 * environment as the LSP test client (no OPENAI_* or CODEGEN_* from the machine running the tests).
 */
import { spawn } from "node:child_process";
import { packagePath } from "../../server/paths.js";
import { cleanEnv } from "./lspClient.js";

/** What a finished CLI run produced. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
}

/** Runs the CLI with `args`; `stdin` is written without closing when given, else stdin is closed at once. */
export function runCli(args: string[], opts: { env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [packagePath("dist", "server", "cli.js"), ...args], { env: cleanEnv(opts.env), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
    child.stdin.on("error", () => undefined);
    if (opts.stdin !== undefined) child.stdin.write(opts.stdin);
    else child.stdin.end();
  });
}
