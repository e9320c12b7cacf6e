import { fileURLToPath } from "node:url";
import { format } from "node:util";
import { createConnection, DidChangeConfigurationNotification, DidChangeWorkspaceFoldersNotification, TextDocumentSyncKind } from "./lsp.js";
import {
  type CancellationToken,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type MessageReader,
  type MessageWriter,
  type ServerCapabilities,
  type WorkspaceFolder,
} from "vscode-languageserver/node";
import { createEditorClient } from "./editorClient.js";
import { featureCapabilities } from "./features/capabilities.js";
import type { PositionEncoding, ServerContext } from "./features/feature.js";
import { createFileSink, levelEnabled, formatLogLine, redact } from "./log.js";
import { limitMemoryPeaks } from "./heapTuning.js";
import { holdAfterInitialize } from "./messageGate.js";
import { nativeLoadFailure } from "./nativeLoad.js";
import { packageVersion } from "./paths.js";
import { describeSettings, maskedSettings, SettingsResolver } from "./settings/resolve.js";
import type { LogLevel, Settings } from "./settings/types.js";
import type { DocumentStore, Pos, SyntaxDocument, TextChange } from "./syntax/types.js";
import { positionFromUtf16, positionToUtf16 } from "./text/positions.js";
import type { LlmClient } from "./llm/types.js";
import type { Scheduler } from "./scheduler/types.js";
import { guardReader } from "./rpcGuard.js";

/** The modules loaded after initialize (see runtime.ts). */
type Runtime = typeof import("./runtime.js");

/** What the CLI hands the server: the JSON-RPC streams, the environment, and how to end the process. */
export interface ServerOptions {
  reader: MessageReader;
  writer: MessageWriter;
  env?: NodeJS.ProcessEnv;
  /** Ends the process; tests of the wiring may replace it. */
  exit?: (code: number) => void;
}

/** The encodings this server converts; LSP 3.17 `general.positionEncodings` values. */
const supportedEncodings: PositionEncoding[] = ["utf-16", "utf-8", "utf-32"];

/**
 * Picks the position encoding from the client's `general.positionEncodings`.
 * NOTE: UTF-16 wins whenever the client lists it (or lists nothing, the LSP default): it is the
 * server's internal unit, so no conversion can go wrong. Otherwise the first encoding the client
 * lists that the server supports (utf-8 or utf-32), as LSP 3.17 lets the server choose any offered one.
 */
export function negotiatePositionEncoding(client: ClientCapabilities): PositionEncoding {
  const offered = client.general?.positionEncodings;
  if (!offered || offered.length === 0 || offered.includes("utf-16")) return "utf-16";
  return (offered.find((e) => (supportedEncodings as string[]).includes(e)) as PositionEncoding | undefined) ?? "utf-16";
}

/**
 * Merges capability objects: nested objects merge, arrays concatenate without duplicates (so two
 * features can both list `executeCommandProvider.commands`), anything else: the later one wins.
 */
export function mergeCapabilities(...parts: ServerCapabilities[]): ServerCapabilities {
  const merge = (a: unknown, b: unknown): unknown => {
    if (Array.isArray(a) && Array.isArray(b)) return [...new Set([...a, ...b])];
    if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
      const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
      for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = k in out ? merge(out[k], v) : v;
      return out;
    }
    return b === undefined ? a : b;
  };
  return parts.reduce((acc, p) => merge(acc, p) as ServerCapabilities, {} as ServerCapabilities);
}

function folderPath(uri: string): string {
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

/**
 * Glues the components together (bash-language-server style): one `capabilities()` merge over the
 * features, one `register()` loop, and the lifecycle, document sync and settings handlers that the
 * features share. Returns the connection, already listening.
 *
 * NOTE: startup is in two steps. The initialize result needs only the settings and the features'
 * declared capabilities (features/capabilities.ts), so it is answered first; then runtime.ts
 * (document store, scheduler, LLM client, features) is loaded, and every message after initialize
 * waits for it in the message gate, in order.
 */
export function startServer(options: ServerOptions): Connection {
  const env = options.env ?? process.env;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  // Bad messages get their JSON-RPC / LSP error (-32700, -32600, -32002) from the guard instead of silence.
  const reader = guardReader(options.reader, options.writer, (m) => log("warn", `protocol: ${m}`));
  const gate = holdAfterInitialize(reader);
  const connection = createConnection(gate.reader, options.writer);
  const resolver = new SettingsResolver(env);
  let settings: Settings = resolver.resolve().settings;
  let logSink: ((line: string) => void) | undefined;
  let logSinkPath = "";
  let clientCaps: ClientCapabilities = {};
  let encoding: PositionEncoding = "utf-16";
  let folders: string[] = [];
  let shutdownRequested = false;
  let lastShownProblems = "";
  let pullSupported = false;

  const secrets = () => [settings.apiKey, env.OPENAI_API_KEY ?? "", env.CODEGEN_API_KEY ?? ""].filter(Boolean);
  const editor = createEditorClient(connection, {
    level: () => settings.logLevel,
    sink: () => logSink,
    secrets,
  });
  const log = (level: LogLevel, message: string) => editor.log(level, message);
  // Whatever a dependency prints with console.* goes to the log, never to stdout (JSON-RPC only).
  const consoleLevels = { error: "error", warn: "warn", info: "info", log: "info", debug: "debug", trace: "debug" } as const;
  for (const [method, level] of Object.entries(consoleLevels)) {
    (console as unknown as Record<string, (...a: unknown[]) => void>)[method] = (...a: unknown[]) => log(level, format(...a));
  }

  /** The log file follows settings.logFile; a new path opens a new sink. */
  const updateLogSink = () => {
    if (settings.logFile === logSinkPath) return;
    logSinkPath = settings.logFile;
    logSink = logSinkPath ? createFileSink(logSinkPath, (m) => editor.showMessage("warning", m)) : undefined;
  };
  updateLogSink();

  // NOTE: these exist once runtime.ts is loaded; no handler that uses them runs before that,
  // because the message gate holds every message after initialize until then.
  let rt!: Runtime;
  let documents!: DocumentStore;
  let scheduler!: Scheduler;
  let llm!: LlmClient;

  const listeners = {
    documentChange: [] as Array<(doc: SyntaxDocument, change: { receivedAt: number }) => void>,
    documentClose: [] as Array<(uri: string) => void>,
    settingsChange: [] as Array<(s: Settings) => void>,
  };
  const commands = new Map<string, (args: unknown[], token: CancellationToken) => unknown>();

  /** Runs listeners so that one failing feature never breaks the others or the sync. */
  const fire = <T, U = undefined>(list: Array<(v: T, extra: U) => void>, value: T, what: string, extra?: U) => {
    for (const l of list) {
      try {
        l(value, extra as U);
      } catch (e) {
        log("error", `${what} listener failed: ${(e as Error).stack ?? e}`);
      }
    }
  };

  /** Loads runtime.ts, builds what needs it, registers the features and opens the gate (once). */
  let loading: Promise<void> | undefined;
  const loadRuntime = () =>
    (loading ??= import("./runtime.js").then(
      (loaded) => {
        rt = loaded;
        // The store keeps a tree-sitter tree per document; files over maxFileBytes stay plain text.
        documents = rt.createDocumentStore({ maxBytes: () => settings.maxFileBytes });
        // One scheduler for every feature, following settings changes (concurrency, debounce bounds).
        scheduler = rt.createScheduler(() => settings);
        llm = rt.createLlmClient(settings, log);
        const ctx: ServerContext = {
          connection,
          documents,
          editor,
          settings: () => settings,
          llm: () => llm,
          scheduler,
          clientCapabilities: () => clientCaps,
          positionEncoding: () => encoding,
          workspaceFolders: () => folders,
          onDocumentChange: (l) => void listeners.documentChange.push(l),
          onDocumentClose: (l) => void listeners.documentClose.push(l),
          onSettingsChange: (l) => void listeners.settingsChange.push(l),
          onExecuteCommand: (command, handler) => void commands.set(command, handler),
          toClientPosition: (doc: SyntaxDocument, pos: Pos) => positionFromUtf16(doc.text, pos, encoding),
          fromClientPosition: (doc: SyntaxDocument, pos: Pos) => positionToUtf16(doc.text, pos, encoding),
        };
        for (const f of rt.features) {
          try {
            f.register(ctx);
          } catch (e) {
            log("error", `feature ${f.name} failed to register: ${(e as Error).stack ?? e}`);
          }
        }
        gate.release();
      },
      (e) => {
        const message = nativeLoadFailure(e) ?? `codegen-language-server: ${(e as Error)?.stack ?? e}\n`;
        process.stderr.write(message);
        // The log file too: an editor may hide the server's stderr (eglot keeps it in a buffer).
        logSink?.(formatLogLine("error", `cannot load the server: ${message.trim()}`));
        exit(1);
      },
    ));

  /** Re-merges every settings source; warns once per distinct set of problems; rebuilds what depends on settings. */
  const applySettings = () => {
    const result = resolver.resolve();
    const all = result.problems;
    for (const p of all) log("warn", `settings: ${p}`);
    const key = all.join("\n");
    if (all.length > 0 && key !== lastShownProblems) {
      editor.showMessage("warning", `codegen-language-server: invalid settings: ${all.join("; ")}`);
    }
    lastShownProblems = key;
    const changed = JSON.stringify(result.settings) !== JSON.stringify(settings);
    settings = result.settings;
    if (!changed) return;
    updateLogSink();
    llm = rt.createLlmClient(settings, log);
    log("info", `settings changed: ${describeSettings(settings)}`);
    fire(listeners.settingsChange, settings, "settings");
  };

  /**
   * Asks the client for section "codegen" when it supports workspace/configuration. Never after
   * shutdown: the editor may have sent `exit` already, and a request it receives then is one it
   * cannot answer (eglot 1.9 signals an error replying to a server that is gone, which ends a
   * batch Emacs).
   */
  const pullSettings = async () => {
    if (!pullSupported || shutdownRequested) return;
    try {
      const [value] = (await connection.sendRequest("workspace/configuration", { items: [{ section: "codegen" }] })) as unknown[];
      resolver.setLayer("workspaceConfiguration", value);
    } catch (e) {
      log("warn", `workspace/configuration failed: ${(e as Error).message}`);
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    // The rest of the server loads once this result is on its way (see the note on startServer).
    // NOTE: memory is tuned from here on, not during startup: module loading allocates a lot and
    // would only pay more scavenges before the initialize result.
    setImmediate(() => {
      limitMemoryPeaks();
      void loadRuntime();
    });
    clientCaps = params.capabilities ?? {};
    encoding = negotiatePositionEncoding(clientCaps);
    pullSupported = clientCaps.workspace?.configuration === true;
    folders = (params.workspaceFolders ?? []).map((f: WorkspaceFolder) => folderPath(f.uri));
    if (folders.length === 0 && params.rootUri) folders = [folderPath(params.rootUri)];
    else if (folders.length === 0 && params.rootPath) folders = [params.rootPath];
    if (params.initializationOptions !== undefined) resolver.setLayer("initializationOptions", params.initializationOptions);
    settings = resolver.resolve().settings;
    updateLogSink();
    // NOTE: the LLM client is created with these settings when runtime.ts has loaded.

    const base: ServerCapabilities = {
      positionEncoding: encoding,
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    };
    const featureCaps = featureCapabilities.map((f) => {
      try {
        return f.capabilities(clientCaps, settings);
      } catch (e) {
        log("error", `feature ${f.name} failed to declare capabilities: ${(e as Error).stack ?? e}`);
        return {};
      }
    });
    const capabilities = mergeCapabilities(base, ...featureCaps);
    // Every feature's own executeCommand handler goes through one dispatcher.
    if (capabilities.executeCommandProvider && !capabilities.executeCommandProvider.commands) {
      capabilities.executeCommandProvider.commands = [];
    }
    return {
      capabilities,
      serverInfo: { name: "codegen-language-server", version: packageVersion() },
    };
  });

  // Settings updates (pull round trips) run one after another; debug requests wait for them.
  let settingsWork: Promise<void> = Promise.resolve();
  const queueSettingsWork = (work: () => Promise<void>) => {
    settingsWork = settingsWork.then(work).catch((e) => log("error", `settings update failed: ${(e as Error).stack ?? e}`));
    return settingsWork;
  };

  connection.onInitialized(() => {
    // The HTTP SDK is loaded lazily (startup must stay fast); load it now and warm the path of a
    // model call (llm/warmup.ts), before the first request needs it.
    void rt.warmUpLlmPath(settings);
    // NOTE: registered here, not before listen(): vscode-languageserver's own workspace-folders
    // feature installs a handler for this notification during initialize, which would replace ours.
    connection.onNotification(DidChangeWorkspaceFoldersNotification.type, (params) => {
      const removed = new Set(params.event.removed.map((f) => folderPath(f.uri)));
      folders = [...folders.filter((f) => !removed.has(f)), ...params.event.added.map((f) => folderPath(f.uri))];
      log("info", `workspace folders: ${folders.join(", ") || "(none)"}`);
    });
    return queueSettingsWork(async () => {
      if (clientCaps.workspace?.didChangeConfiguration?.dynamicRegistration) {
        // Some clients (VS Code) only push configuration changes after the server registers for them.
        void connection.client.register(DidChangeConfigurationNotification.type, { section: "codegen" }).catch(() => undefined);
      }
      // NOTE: no dynamic registration for workspace/didChangeWatchedFiles: the context engine's index
      // re-stats files on use, and a "**/*" watch makes eglot 1.9 put a file watch on every project
      // directory (it also broke eglot's connection in the Emacs end-to-end tests, 2 runs in 8).
      // Clients that send the notification anyway (VS Code's fileEvents) still refresh the index.
      await pullSettings();
      // Problems found while initializing (environment, initializationOptions) are shown now, once.
      lastShownProblems = "";
      applySettings();
      log("info", `codegen-language-server ${packageVersion()} ready: position encoding ${encoding}; ${describeSettings(settings)}`);
    });
  });

  connection.onDidChangeWatchedFiles((params) => {
    rt.invalidateWorkspaceFiles(params.changes.map((c) => folderPath(c.uri)).filter((p) => p.length > 0));
  });

  connection.onShutdown(() => {
    shutdownRequested = true;
    scheduler.dispose();
    for (const f of rt.features) {
      try {
        f.dispose?.();
      } catch (e) {
        log("error", `feature ${f.name} failed to dispose: ${(e as Error).message}`);
      }
    }
  });

  connection.onDidChangeConfiguration((params) =>
    queueSettingsWork(async () => {
      if (params.settings && typeof params.settings === "object") resolver.setLayer("didChangeConfiguration", params.settings);
      await pullSettings();
      applySettings();
    }),
  );

  connection.onDidOpenTextDocument(({ textDocument: d }) => {
    const receivedAt = performance.now();
    try {
      const doc = documents.open(d.uri, d.languageId, d.version, d.text);
      fire(listeners.documentChange, doc, "didOpen", { receivedAt });
    } catch (e) {
      log("error", `didOpen ${d.uri} failed: ${(e as Error).stack ?? e}`);
    }
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    // Taken before the edit is applied: the debounce of the completion that follows counts from here.
    const receivedAt = performance.now();
    try {
      let doc: SyntaxDocument | undefined;
      if (encoding === "utf-16") {
        doc = documents.change(textDocument.uri, textDocument.version, contentChanges as TextChange[]);
      } else {
        // Each change's range refers to the text left by the changes before it, so convert and apply one at a time.
        for (const change of contentChanges as TextChange[]) {
          const current = documents.get(textDocument.uri);
          if (!current) break;
          const converted: TextChange = change.range
            ? {
                text: change.text,
                range: {
                  start: positionToUtf16(current.text, change.range.start, encoding),
                  end: positionToUtf16(current.text, change.range.end, encoding),
                },
              }
            : { text: change.text };
          doc = documents.change(textDocument.uri, textDocument.version, [converted]);
        }
      }
      if (!doc) {
        log("warn", `didChange for a document that is not open: ${textDocument.uri}`);
        return;
      }
      fire(listeners.documentChange, doc, "didChange", { receivedAt });
    } catch (e) {
      log("error", `didChange ${textDocument.uri} failed: ${(e as Error).stack ?? e}`);
    }
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    documents.close(textDocument.uri);
    fire(listeners.documentClose, textDocument.uri, "didClose");
  });

  connection.onExecuteCommand(async (params, token) => {
    const handler = commands.get(params.command);
    if (!handler) {
      log("warn", `unknown command ${params.command}`);
      return null;
    }
    return handler(params.arguments ?? [], token);
  });

  /** A debug request for tests and fuzzing: the server's copy of a document (UTF-16 text). */
  connection.onRequest("codegen/document", (params: { uri: string }) => {
    const doc = documents.get(params?.uri);
    return doc ? { uri: doc.uri, version: doc.version, languageId: doc.languageId, language: doc.language ?? null, text: doc.text } : null;
  });

  // Fault injection for the tests that prove stray output and unhandled failures never kill the
  // server nor corrupt stdout. Only present when CODEGEN_TEST_FAULTS=1.
  if (env.CODEGEN_TEST_FAULTS === "1") {
    connection.onRequest("codegen/test/fault", (params: { kind: string }) => {
      if (params.kind === "console") {
        console.log("noise from console.log");
        console.error("noise from console.error");
      } else if (params.kind === "throw") {
        setTimeout(() => {
          throw new Error("injected uncaught error");
        }, 0);
      } else if (params.kind === "reject") {
        void Promise.reject(new Error("injected rejection"));
      }
      return "injected";
    });
  }

  /** Troubleshooting: the models the current endpoint offers, through the current LLM client. */
  connection.onRequest("codegen/models", async (_params: unknown, token: CancellationToken) => {
    await settingsWork;
    // $/cancelRequest aborts the HTTP request, like every model call.
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      return { models: await llm.listModels(abort.signal) };
    } catch (e) {
      return { error: (e as Error).message, kind: (e as { kind?: string }).kind };
    } finally {
      sub.dispose();
    }
  });

  /** A debug request for tests and troubleshooting: the effective settings with the key masked. */
  connection.onRequest("codegen/settings", async () => (await settingsWork, { settings: maskedSettings(settings), positionEncoding: encoding, workspaceFolders: folders }));

  // NOTE: a stream that loses framing leaves vscode-jsonrpc's reader dead while the process lives
  // (GUIDE §5), so any reader error is fatal: exit non-zero instead of hanging the editor.
  reader.onError((error) => {
    process.stderr.write(formatLogLine("error", `lost the JSON-RPC stream: ${redact(String(error?.message ?? error), secrets())}`) + "\n");
    logSink?.(formatLogLine("error", `lost the JSON-RPC stream: ${error?.message ?? error}`));
    exit(2);
  });
  gate.reader.onClose(() => {
    if (!shutdownRequested) logSink?.(formatLogLine("error", "the editor closed the connection without shutdown; exiting"));
    exit(shutdownRequested ? 0 : 1);
  });
  options.writer.onError(([error]) => {
    if (levelEnabled("error", settings.logLevel)) process.stderr.write(formatLogLine("error", `cannot write to the client: ${error?.message}`) + "\n");
    exit(shutdownRequested ? 0 : 1);
  });

  process.on("uncaughtException", (e) => log("error", `unhandled error (the server keeps running): ${e.stack ?? e}`));
  process.on("unhandledRejection", (e) => log("error", `unhandled promise rejection (the server keeps running): ${(e as Error)?.stack ?? e}`));

  connection.listen();
  return connection;
}
