/**
 * A minimal VS Code client for codegen-language-server: it starts the server over stdio and
 * hands it the `codegen.*` settings. Everything else (completion, inline completion, code
 * actions, hover) is plain LSP that vscode-languageclient already maps onto VS Code.
 */
import * as vscode from "vscode";
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

const SECTION = "codegen";
/** Settings of the extension itself; every other `codegen.*` key belongs to the server. */
const EXTENSION_KEYS = new Set(["server.path", "server.args"]);

const DOCUMENT_SELECTOR = [
  "typescript",
  "typescriptreact",
  "javascript",
  "javascriptreact",
  "python",
  "go",
  "rust",
  "java",
  "c",
  "cpp",
  "shellscript",
  "ruby",
].map((language) => ({ scheme: "file", language }));

let client: LanguageClient | undefined;

/** Starts the language server when a supported file is opened. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverKeys = settingKeys(context);
  client = createClient(serverKeys);
  context.subscriptions.push(
    vscode.commands.registerCommand("codegen.restartServer", async () => {
      await client?.restart();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration(SECTION) || !client) return;
      if (event.affectsConfiguration(`${SECTION}.server`)) {
        // A new server command needs a new process.
        await client.dispose();
        client = createClient(serverKeys);
        await client.start();
        return;
      }
      await client.sendNotification("workspace/didChangeConfiguration", {
        settings: { [SECTION]: explicitSettings(serverKeys) },
      });
    }),
  );
  await client.start();
}

/** Stops the server when VS Code unloads the extension. */
export async function deactivate(): Promise<void> {
  await client?.dispose();
  client = undefined;
}

/** The server's setting keys, read from this extension's own contributes.configuration. */
function settingKeys(context: vscode.ExtensionContext): string[] {
  const properties = (context.extension.packageJSON?.contributes?.configuration?.properties ?? {}) as Record<
    string,
    unknown
  >;
  return Object.keys(properties)
    .filter((key) => key.startsWith(`${SECTION}.`))
    .map((key) => key.slice(SECTION.length + 1))
    .filter((key) => !EXTENSION_KEYS.has(key));
}

function createClient(serverKeys: string[]): LanguageClient {
  const config = vscode.workspace.getConfiguration(SECTION);
  const command = config.get<string>("server.path") || "codegen-language-server";
  const args = config.get<string[]>("server.args") ?? [];
  const serverOptions: ServerOptions = {
    command,
    args: [...args, "--stdio"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    initializationOptions: explicitSettings(serverKeys),
    outputChannelName: "Codegen Language Server",
    // File changes refresh the server's workspace index at once (it asks no client to watch files).
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*") },
    middleware: {
      workspace: {
        // Answer `workspace/configuration` with the same explicit settings, so that defaults
        // VS Code knows from package.json never mask the server's environment variables.
        configuration: (params) =>
          params.items.map((item) => (item.section === SECTION ? explicitSettings(serverKeys) : null)),
        // The client's own push (after the server registers for it) would send the whole section,
        // defaults included; activate() pushes the explicit settings instead.
        didChangeConfiguration: async () => undefined,
      },
    },
  };
  return new LanguageClient("codegen", "Codegen Language Server", serverOptions, clientOptions);
}

/**
 * Only the settings the user set (in any scope), as the nested object the server expects.
 * NOTE: sending VS Code's copies of the defaults would override OPENAI_API_KEY and the other
 * environment variables, which rank below editor settings.
 */
function explicitSettings(serverKeys: string[]): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const result: Record<string, unknown> = {};
  for (const key of serverKeys) {
    const inspected = config.inspect(key);
    const value =
      inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue ?? undefined;
    if (value === undefined) continue;
    const parts = key.split(".");
    let target = result;
    for (const part of parts.slice(0, -1)) {
      target = (target[part] ??= {}) as Record<string, unknown>;
    }
    target[parts[parts.length - 1]!] = value;
  }
  return result;
}
