#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node --v8-pool-size=1
/**
 * The command line: `--stdio` runs the language server, `--check` tests the configured endpoint,
 * `--version` and `--help` print what they say. Nothing but JSON-RPC may reach stdout while the
 * server runs, so this file keeps argument handling apart from the server itself.
 *
 * NOTE on the first line: editors start the server as `codegen-language-server` on PATH, which
 * runs it through this shebang (npm's Windows shims read the `env -S` form too). One V8 worker
 * thread instead of Node's four: each worker that runs TurboFan compiles keeps its own malloc
 * arena, and four of them held ~12 MB of freed compiler memory for good. And a fixed malloc mmap
 * threshold (128 KB, glibc's default start): glibc otherwise raises it each time a large block is
 * freed, after which the parse trees' large arrays come from the main heap and leave it
 * fragmented. Together, `npm run bench:burst`'s peak RSS with 50 open documents went from 129 to
 * 114-115 MB (bench:syntax's incremental parse times unchanged). Both can only be given at start-up, and
 * a re-exec would cost Node's boot time again. `node dist/server/cli.js` runs without them.
 */
import { format } from "node:util";
import { StreamMessageReader, StreamMessageWriter } from "./lsp.js";
import { helpText } from "./help.js";
import { nativeLoadFailure } from "./nativeLoad.js";
import { packageVersion } from "./paths.js";

/** The parsed command line. */
interface CliArgs {
  mode: "stdio" | "check" | "version" | "help" | "usage-error";
  /** `--settings <file or JSON>` for `--check`. */
  settings?: string;
  /** What was wrong with the arguments, for "usage-error". */
  error?: string;
}

/** Parses argv (without node and the script). Unknown `--flag=value` arguments that editors add (e.g. --clientProcessId) are ignored. */
function parseArgs(argv: string[]): CliArgs {
  let mode: CliArgs["mode"] | undefined;
  let settings: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--stdio" || a === "stdio") mode ??= "stdio";
    else if (a === "--check" || a === "check") mode ??= "check";
    else if (a === "--version" || a === "-v" || a === "-V") mode ??= "version";
    else if (a === "--help" || a === "-h") mode ??= "help";
    else if (a === "--settings") {
      settings = argv[++i];
      if (settings === undefined) return { mode: "usage-error", error: "--settings needs a file path or a JSON object" };
    } else if (a.startsWith("--settings=")) settings = a.slice("--settings=".length);
    else if (a === "--clientProcessId") i++;
    else if (!a.startsWith("--")) return { mode: "usage-error", error: `unexpected argument "${a}"` };
  }
  if (!mode) return { mode: "usage-error", error: "say --stdio to run the server (or --check, --help, --version)" };
  return { mode, settings };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  switch (args.mode) {
    case "version":
      process.stdout.write(`${packageVersion()}\n`);
      return;
    case "help":
      process.stdout.write(helpText());
      return;
    case "usage-error":
      process.stderr.write(`codegen-language-server: ${args.error}\nRun codegen-language-server --help for usage.\n`);
      process.exitCode = 2;
      return;
    case "check": {
      const { runCheck } = await import("./checkCommand.js");
      process.exitCode = await runCheck({ settings: args.settings, env: process.env, out: (line) => process.stdout.write(line + "\n") });
      return;
    }
    case "stdio": {
      // NOTE: stdout carries JSON-RPC only. Anything a dependency prints with console.* goes to
      // stderr until the server redirects it into the log.
      for (const m of ["log", "info", "warn", "error", "debug", "trace"] as const) {
        console[m] = (...a: unknown[]) => void process.stderr.write(format(...a) + "\n");
      }
      let startServer: typeof import("./server.js").startServer;
      try {
        ({ startServer } = await import("./server.js"));
      } catch (e) {
        const failure = nativeLoadFailure(e);
        if (failure) {
          process.stderr.write(failure);
          process.exit(1);
        }
        throw e;
      }
      startServer({ reader: new StreamMessageReader(process.stdin), writer: new StreamMessageWriter(process.stdout) });
      return;
    }
  }
}

main().catch((e) => {
  process.stderr.write(`codegen-language-server: ${(e as Error)?.stack ?? e}\n`);
  process.exit(1);
});
