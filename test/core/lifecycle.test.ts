import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { settingFields } from "../../server/settings/schema.js";
import { runCli } from "../helpers/cli.js";
import { killAllServers, startServer } from "../helpers/lspClient.js";

describe("core: lifecycle", () => {
  afterEach(killAllServers);

  it("exits 0 after shutdown and exit", async () => {
    const server = await startServer();
    assert.equal(await server.shutdown(), 0);
  });

  it("runs as the installed command, through its shebang, with its Node flags and malloc setting", async function () {
    if (process.platform !== "linux") this.skip(); // reads /proc
    const server = await startServer({ launch: "bin" });
    const cmdline = readFileSync(`/proc/${server.process.pid}/cmdline`, "utf8").split("\0");
    assert.ok(cmdline.includes("--v8-pool-size=1"), `command line: ${cmdline.join(" ")}`);
    const environ = readFileSync(`/proc/${server.process.pid}/environ`, "utf8").split("\0");
    assert.ok(environ.includes("MALLOC_MMAP_THRESHOLD_=131072"), "the malloc setting reaches the server");
    assert.equal(await server.shutdown(), 0);
  });

  it("exits 1 on exit without shutdown", async () => {
    const server = await startServer();
    await server.notify("exit", null);
    assert.equal(await server.exited, 1);
  });

  it("exits 1 when the editor closes stdin without shutdown, and says so in the log file", async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), "codegen-close-")), "server.log");
    const server = await startServer({ initializationOptions: { logFile } });
    server.process.stdin!.end();
    assert.equal(await server.exited, 1);
    assert.match(readFileSync(logFile, "utf8"), /closed the connection without shutdown/);
  });

  it("exits non-zero instead of hanging when the stream loses its framing", async () => {
    const server = await startServer();
    // A header block without Content-Length: vscode-jsonrpc's reader cannot continue after it.
    server.process.stdin!.write("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}");
    const code = await server.exited;
    assert.notEqual(code, 0);
    assert.notEqual(code, null, "the server must exit by itself, not be killed");
    assert.match(server.stderr(), /lost the JSON-RPC stream/);
  });

  it("declares incremental sync, utf-16, workspace folders and its name", async () => {
    const server = await startServer();
    const caps = server.initializeResult!.capabilities;
    assert.equal(caps.positionEncoding, "utf-16");
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.equal(caps.workspace?.workspaceFolders?.supported, true);
    assert.equal(server.initializeResult!.serverInfo?.name, "codegen-language-server");
    await server.shutdown();
  });

  it("negotiates utf-8 only when the client does not offer utf-16", async () => {
    const both = await startServer({ capabilities: { general: { positionEncodings: ["utf-8", "utf-16"] } } });
    assert.equal(both.initializeResult!.capabilities.positionEncoding, "utf-16");
    await both.shutdown();
    const utf8 = await startServer({ capabilities: { general: { positionEncodings: ["utf-8"] } } });
    assert.equal(utf8.initializeResult!.capabilities.positionEncoding, "utf-8");
    await utf8.shutdown();
  });

  it("applies incremental changes in utf-16", async () => {
    const server = await startServer();
    const uri = await server.openDocument("/tmp/a.ts", "typescript", "const 😀 = 1;\nlet x;\r\nend\n");
    // Replace "x" on line 1 and insert after the astral character on line 0 (UTF-16 column 8).
    await server.changeDocument(uri, 2, [
      { range: { start: { line: 1, character: 4 }, end: { line: 1, character: 5 } }, text: "why" },
      { range: { start: { line: 0, character: 8 }, end: { line: 0, character: 8 } }, text: "!" },
    ]);
    assert.equal(await server.documentText(uri), "const 😀! = 1;\nlet why;\r\nend\n");
    await server.shutdown();
  });

  it("converts utf-8 ranges of didChange to the server's utf-16 text", async () => {
    const server = await startServer({ capabilities: { general: { positionEncodings: ["utf-8"] } } });
    const uri = await server.openDocument("/tmp/b.py", "python", "é😀x = 1\n");
    // In UTF-8, "é" is 2 bytes and "😀" 4: "x" sits at byte column 6. Each change sees the text left by the one before.
    await server.changeDocument(uri, 2, [
      { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, text: "yz" },
      { range: { start: { line: 0, character: 2 }, end: { line: 0, character: 6 } }, text: "" },
    ]);
    assert.equal(await server.documentText(uri), "éyz = 1\n");
    await server.shutdown();
  });

  it("converts utf-32 ranges of didChange to the server's utf-16 text", async () => {
    const server = await startServer({ capabilities: { general: { positionEncodings: ["utf-32"] } } });
    assert.equal(server.initializeResult!.capabilities.positionEncoding, "utf-32");
    const uri = await server.openDocument("/tmp/d.py", "python", "a😀😀b\r\n😀c\n");
    // In UTF-32 each emoji is one unit: "b" is column 3 on line 0, "c" column 1 on line 1.
    await server.changeDocument(uri, 2, [
      { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 4 } }, text: "B" },
      { range: { start: { line: 1, character: 1 }, end: { line: 1, character: 2 } }, text: "C" },
    ]);
    assert.equal(await server.documentText(uri), "a😀😀B\r\n😀C\n");
    await server.shutdown();
  });

  it("forgets a closed document", async () => {
    const server = await startServer();
    const uri = await server.openDocument("/tmp/c.ts", "typescript", "x");
    await server.closeDocument(uri);
    assert.equal(await server.documentText(uri), undefined);
    await server.shutdown();
  });

  it("reports workspace folders from initialize and from change notifications", async () => {
    const server = await startServer({ workspaceFolders: ["/tmp/ws1"] });
    assert.deepEqual((await server.request("codegen/settings")).workspaceFolders, ["/tmp/ws1"]);
    await server.notify("workspace/didChangeWorkspaceFolders", {
      event: { added: [{ uri: "file:///tmp/ws2", name: "ws2" }], removed: [{ uri: "file:///tmp/ws1", name: "ws1" }] },
    });
    assert.deepEqual((await server.request("codegen/settings")).workspaceFolders, ["/tmp/ws2"]);
    await server.shutdown();
  });
});

describe("core: resilience", () => {
  afterEach(killAllServers);

  it("logs unhandled errors and rejections and keeps serving; console output never reaches stdout", async () => {
    const server = await startServer({ env: { CODEGEN_TEST_FAULTS: "1" }, initializationOptions: { logLevel: "debug" } });
    for (const kind of ["console", "throw", "reject"]) assert.equal(await server.request("codegen/test/fault", { kind }), "injected");
    await server.waitForNotification("window/logMessage", (p) => /unhandled error .*injected uncaught error/s.test(p.message));
    await server.waitForNotification("window/logMessage", (p) => /unhandled promise rejection .*injected rejection/s.test(p.message));
    // Had console.log written to stdout, the JSON-RPC framing would be broken and this would fail.
    assert.ok(server.logMessages().some((m) => m.includes("noise from console.log")));
    assert.equal((await server.settings()).provider, "ollama");
    assert.equal(await server.shutdown(), 0);
  });
});

describe("core: command line", () => {
  it("--version prints the package version", async () => {
    const r = await runCli(["--version"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it("--help lists every setting and its environment variable", async () => {
    const r = await runCli(["--help"]);
    assert.equal(r.code, 0);
    for (const f of settingFields()) {
      assert.ok(r.stdout.includes(`  ${f.key}\n`), `--help misses ${f.key}`);
      assert.ok(r.stdout.includes(f.envVar), `--help misses ${f.envVar}`);
    }
    assert.match(r.stdout, /OPENAI_API_KEY/);
    assert.match(r.stdout, /OPENAI_BASE_URL/);
  });

  it("refuses to start without a mode, and says how", async () => {
    const r = await runCli([]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--stdio/);
    assert.equal(r.stdout, "");
  });
});
