/**
 * A test client that spawns the built server (`node dist/server/cli.js --stdio`) and talks to it
 * with vscode-languageserver-protocol's node connection, like an editor would. It records every
 * notification and server->client request, answers the requests editors answer
 * (workspace/configuration, workspace/applyEdit, window/workDoneProgress/create,
 * client/registerCapability) and lets a test replace any of those answers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { pathToFileURL } from "node:url";
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ApplyWorkspaceEditParams,
  type ClientCapabilities,
  type InitializeResult,
  type MessageConnection,
  type TextDocumentContentChangeEvent,
} from "vscode-languageserver-protocol/node";
import { packagePath } from "../../server/paths.js";

/** How to start the server under test. */
export interface StartOptions {
  /** Environment variables on top of a clean copy of process.env (OPENAI_* and CODEGEN_* removed). */
  env?: Record<string, string | undefined>;
  initializationOptions?: unknown;
  /** Client capabilities; replaces `defaultCapabilities` entirely when given. */
  capabilities?: ClientCapabilities;
  /** Workspace folder paths on disk. */
  workspaceFolders?: string[];
  /** The answer to workspace/configuration (section "codegen"); null when unset. Change it later with `setConfiguration`. */
  configuration?: unknown;
  /** Command line arguments (default ["--stdio"]). */
  args?: string[];
  /** Send initialize/initialized (default true). With false, the test drives the handshake itself. */
  initialize?: boolean;
  /**
   * "node" (default) runs `node dist/server/cli.js`; "bin" executes the file itself, through its
   * shebang, as an editor runs the installed `codegen-language-server` command.
   */
  launch?: "node" | "bin";
}

/** One notification the server sent. */
export interface RecordedMessage {
  method: string;
  params: any;
}

/** The running server and the helpers to drive it. */
export interface TestServer {
  process: ChildProcess;
  connection: MessageConnection;
  /** The initialize result (undefined with `initialize: false`). */
  initializeResult: InitializeResult | undefined;
  /** Every notification from the server, in arrival order. */
  notifications: RecordedMessage[];
  /** Every request from the server to the client, in arrival order. */
  serverRequests: RecordedMessage[];
  /** Every workspace/applyEdit the server asked for. */
  appliedEdits: ApplyWorkspaceEditParams[];
  request<R = any>(method: string, params?: unknown): Promise<R>;
  notify(method: string, params?: unknown): Promise<void>;
  /** Replaces the answer to one server->client request method. */
  onRequest(method: string, handler: (params: any) => unknown): void;
  /** Sets the answer to later workspace/configuration requests. */
  setConfiguration(value: unknown): void;
  /** window/logMessage texts so far. */
  logMessages(): string[];
  /** window/showMessage notifications so far. */
  showMessages(): Array<{ type: number; message: string }>;
  /** Resolves with the params of the first notification (already received or coming) that matches. */
  waitForNotification(method: string, predicate?: (params: any) => boolean, timeoutMs?: number): Promise<any>;
  /** textDocument/didOpen; returns the uri. `pathOrUri` may be a file path or a uri. */
  openDocument(pathOrUri: string, languageId: string, text: string, version?: number): Promise<string>;
  changeDocument(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void>;
  closeDocument(uri: string): Promise<void>;
  /** The server's copy of a document (debug request codegen/document). */
  documentText(uri: string): Promise<string | undefined>;
  /** The effective settings (debug request codegen/settings; the API key is masked). */
  settings(): Promise<any>;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  /** shutdown request + exit notification; resolves to the exit code. */
  shutdown(): Promise<number | null>;
  /** Resolves to the exit code once the process ended (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Kills the process if it still runs (safe to call in afterEach). */
  kill(): Promise<void>;
}

/** Capabilities of a modern editor: pull configuration, resolve support, progress, markdown. */
export const defaultCapabilities: ClientCapabilities = {
  general: { positionEncodings: ["utf-16"] },
  window: { workDoneProgress: true, showMessage: {} },
  workspace: {
    applyEdit: true,
    configuration: false,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: false },
    executeCommand: {},
  },
  textDocument: {
    synchronization: { didSave: false, dynamicRegistration: false },
    completion: { completionItem: { snippetSupport: false, insertReplaceSupport: true }, contextSupport: true },
    hover: { contentFormat: ["markdown", "plaintext"] },
    codeAction: {
      codeActionLiteralSupport: {
        codeActionKind: { valueSet: ["", "quickfix", "refactor", "refactor.rewrite", "source"] },
      },
      resolveSupport: { properties: ["edit"] },
      dataSupport: true,
    },
  },
};

const started = new Set<TestServer>();

/** A copy of process.env without anything that would point the server at a real endpoint, plus `extra`. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(OPENAI_|CODEGEN_)/.test(k)) env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Spawns the built server and (unless told otherwise) completes the initialize handshake. */
export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const cli = packagePath("dist", "server", "cli.js");
  const [file, argv] = opts.launch === "bin" ? [cli, []] : [process.execPath, [cli]];
  const child = spawn(file, [...argv, ...(opts.args ?? ["--stdio"])], {
    env: cleanEnv(opts.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  // A server that exits mid-test must not crash mocha through an unhandled stream error.
  child.stdin!.on("error", () => undefined);
  connection.onError(() => undefined);

  const notifications: RecordedMessage[] = [];
  const serverRequests: RecordedMessage[] = [];
  const appliedEdits: ApplyWorkspaceEditParams[] = [];
  const waiters: Array<{ method: string; predicate: (p: any) => boolean; resolve: (p: any) => void }> = [];
  let configuration: unknown = opts.configuration ?? null;
  const handlers = new Map<string, (params: any) => unknown>([
    ["workspace/configuration", (p: { items: unknown[] }) => p.items.map(() => configuration)],
    [
      "workspace/applyEdit",
      (p: ApplyWorkspaceEditParams) => {
        appliedEdits.push(p);
        return { applied: true };
      },
    ],
    ["window/workDoneProgress/create", () => null],
    ["client/registerCapability", () => null],
    ["client/unregisterCapability", () => null],
    ["window/showMessageRequest", () => null],
  ]);

  connection.onNotification((method: string, params: any) => {
    notifications.push({ method, params });
    for (const w of [...waiters]) {
      if (w.method === method && w.predicate(params)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(params);
      }
    }
  });
  connection.onRequest((method: string, params: any) => {
    serverRequests.push({ method, params });
    const h = handlers.get(method);
    return h ? h(params) : null;
  });
  connection.listen();

  const server: TestServer = {
    process: child,
    connection,
    initializeResult: undefined,
    notifications,
    serverRequests,
    appliedEdits,
    request: (method, params) => connection.sendRequest(method, params) as Promise<any>,
    notify: (method, params) => connection.sendNotification(method, params),
    onRequest: (method, handler) => void handlers.set(method, handler),
    setConfiguration: (value) => void (configuration = value),
    logMessages: () => notifications.filter((n) => n.method === "window/logMessage").map((n) => n.params.message as string),
    showMessages: () => notifications.filter((n) => n.method === "window/showMessage").map((n) => n.params),
    waitForNotification(method, predicate = () => true, timeoutMs = 15000) {
      const seen = notifications.find((n) => n.method === method && predicate(n.params));
      if (seen) return Promise.resolve(seen.params);
      return new Promise((resolve, reject) => {
        const w = { method, predicate, resolve: (p: any) => (clearTimeout(timer), resolve(p)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no ${method} notification matched within ${timeoutMs} ms; got: ${JSON.stringify(notifications.map((n) => n.method))}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    async openDocument(pathOrUri, languageId, text, version = 1) {
      const uri = /^[a-z]+:/i.test(pathOrUri) ? pathOrUri : pathToFileURL(pathOrUri).href;
      await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId, version, text } });
      return uri;
    },
    changeDocument: (uri, version, changes) => connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: changes }),
    closeDocument: (uri) => connection.sendNotification("textDocument/didClose", { textDocument: { uri } }),
    async documentText(uri) {
      const r = (await connection.sendRequest("codegen/document", { uri })) as { text: string } | null;
      return r?.text;
    },
    async settings() {
      return ((await connection.sendRequest("codegen/settings")) as { settings: any }).settings;
    },
    stderr: () => stderr,
    async shutdown() {
      if (child.exitCode === null && child.signalCode === null) {
        // A server that exits on its own meanwhile must not leave this waiting for a reply.
        const gone = exited.then(() => "exited" as const);
        if ((await Promise.race([connection.sendRequest("shutdown", null), gone])) !== "exited") {
          await Promise.race([connection.sendNotification("exit", null), gone]);
        }
      }
      const code = await exited;
      connection.dispose();
      started.delete(server);
      return code;
    },
    exited,
    async kill() {
      started.delete(server);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
      connection.dispose();
    },
  };
  started.add(server);

  if (opts.initialize !== false) {
    const folders = opts.workspaceFolders ?? [];
    const initialize = connection.sendRequest("initialize", {
      processId: null,
      clientInfo: { name: "codegen-test-client" },
      rootUri: folders[0] ? pathToFileURL(folders[0]).href : null,
      workspaceFolders: folders.length ? folders.map((f) => ({ uri: pathToFileURL(f).href, name: f })) : null,
      capabilities: opts.capabilities ?? defaultCapabilities,
      initializationOptions: opts.initializationOptions,
    }) as Promise<InitializeResult>;
    // A server that dies while starting fails the test at once, with what it printed.
    const died = exited.then((code) => {
      throw new Error(`the server exited with ${code} before answering initialize; stderr:\n${stderr}`);
    });
    server.initializeResult = await Promise.race([initialize, died]);
    await connection.sendNotification("initialized", {});
  }
  return server;
}

/** Kills every server a test started and did not shut down (for a global afterEach). */
export async function killAllServers(): Promise<void> {
  await Promise.all([...started].map((s) => s.kill()));
}
