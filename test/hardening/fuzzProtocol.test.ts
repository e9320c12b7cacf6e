/**
 * Fuzzing the server process (issue 9). Raw bytes go to the spawned server's stdin: malformed and
 * oversized JSON-RPC messages, invalid message shapes, unknown methods and requests before
 * initialize get the error the JSON-RPC 2.0 / LSP specifications name (-32700, -32600, -32601,
 * -32002), broken framing makes the server exit by itself, and it never hangs: every request with
 * a valid id gets exactly one answer. Then random didOpen / didChange / didClose sequences through
 * a real client leave the server's text equal to the LSP text model's.
 *
 * Seeded; FUZZ_RUNS scales the number of cases (FUZZ_SEED the seed).
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fc from "fast-check";
import { TextDocument } from "vscode-languageserver-textdocument";
import { packagePath } from "../../server/paths.js";
import { unusedPortUrl } from "../fakeLlm/server.js";
import { fakeSettings } from "../fakeLlm/settings.js";
import { cleanEnv, startServer, type TestServer } from "../helpers/lspClient.js";
import { applyToModel, DOCS, FUZZ_SEED, fuzzRuns, opArb, type Op } from "./fuzzArbs.js";

/** A server spoken to in raw bytes; its output is parsed into messages as it arrives. */
class RawServer {
  readonly child: ChildProcess;
  readonly messages: any[] = [];
  readonly exited: Promise<number | null>;
  stderr = "";
  private out = Buffer.alloc(0);
  private waiters: Array<() => void> = [];

  constructor() {
    this.child = spawn(process.execPath, [packagePath("dist", "server", "cli.js"), "--stdio"], { env: cleanEnv(), stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdin!.on("error", () => undefined);
    this.child.stderr!.setEncoding("utf8");
    this.child.stderr!.on("data", (d: string) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => resolve(code)));
    this.child.stdout!.on("data", (d: Buffer) => {
      this.out = Buffer.concat([this.out, d]);
      for (;;) {
        const head = this.out.indexOf("\r\n\r\n");
        if (head < 0) break;
        const len = Number(/Content-Length: (\d+)/i.exec(this.out.subarray(0, head).toString())?.[1]);
        if (this.out.length < head + 4 + len) break;
        this.messages.push(JSON.parse(this.out.subarray(head + 4, head + 4 + len).toString("utf8")));
        this.out = this.out.subarray(head + 4 + len);
      }
      for (const w of [...this.waiters]) w();
    });
  }

  /** Writes one framed message (a string body is sent as is, anything else as JSON). */
  send(body: unknown): void {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === "string" ? body : JSON.stringify(body), "utf8");
    this.child.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`), bytes]));
  }

  writeRaw(bytes: string | Buffer): void {
    this.child.stdin!.write(bytes);
  }

  /** The first message matching, waiting up to `timeoutMs` (fails rather than hanging). */
  async waitFor(pred: (m: any) => boolean, what: string, timeoutMs = 15000): Promise<any> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.messages.find(pred);
      if (hit) return hit;
      if (this.child.exitCode !== null) assert.fail(`the server exited (${this.child.exitCode}) while waiting for ${what}; stderr: ${this.stderr}`);
      if (Date.now() > end) assert.fail(`no ${what} within ${timeoutMs} ms (the server hangs); got ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 100);
        this.waiters.push(() => (clearTimeout(t), r()));
      });
      this.waiters.length = 0;
    }
  }

  response(id: number | string | null, what = `the answer to request ${id}`, timeoutMs?: number): Promise<any> {
    return this.waitFor((m) => m.id === id && ("result" in m || "error" in m) && !m.method, what, timeoutMs);
  }

  async initialize(id = 1): Promise<void> {
    this.send({ jsonrpc: "2.0", id, method: "initialize", params: { processId: null, capabilities: {}, initializationOptions: fakeSettings(await unusedPortUrl()) } });
    await this.response(id);
    this.send({ jsonrpc: "2.0", method: "initialized", params: {} });
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited;
  }
}

const errorCode = (m: any) => m?.error?.code as number | undefined;

describe("hardening: malformed JSON-RPC through the server process", function () {
  this.timeout(60000);
  let raw: RawServer | undefined;
  afterEach(async () => {
    await raw?.kill();
    raw = undefined;
  });

  it("answers a request before initialize with -32002, drops notifications, then initializes normally", async () => {
    raw = new RawServer();
    raw.send({ jsonrpc: "2.0", id: 7, method: "textDocument/hover", params: { textDocument: { uri: "file:///x.ts" }, position: { line: 0, character: 0 } } });
    raw.send({ jsonrpc: "2.0", method: "textDocument/didOpen", params: { textDocument: { uri: "file:///x.ts", languageId: "typescript", version: 1, text: "early" } } });
    assert.equal(errorCode(await raw.response(7)), -32002);
    await raw.initialize(8);
    raw.send({ jsonrpc: "2.0", id: 9, method: "codegen/document", params: { uri: "file:///x.ts" } });
    assert.equal((await raw.response(9)).result, null, "the notification sent before initialize was dropped");
  });

  const invalid: Array<[string, unknown, number | string | null]> = [
    ["an array", [1, 2], null],
    ["a string", '"hello"', null],
    ["null", "null", null],
    ["an object without method, result or error", { jsonrpc: "2.0", id: 4 }, 4],
    ["a number as method", { jsonrpc: "2.0", id: 5, method: 5 }, 5],
    ["an object as id", { jsonrpc: "2.0", id: { a: 1 }, method: "textDocument/hover" }, null],
  ];
  it("answers invalid JSON (-32700), invalid messages (-32600) and unknown methods (-32601), and keeps serving", async () => {
    raw = new RawServer();
    await raw.initialize();
    raw.send('{"jsonrpc":"2.0","id":3,"method":');
    assert.equal(errorCode(await raw.waitFor((m) => m.id === null && errorCode(m) === -32700, "a -32700 parse error")), -32700);
    for (const [what, body, id] of invalid) {
      const before = raw.messages.length;
      raw.send(typeof body === "string" ? body : JSON.stringify(body));
      const m = await raw.waitFor((x) => raw!.messages.indexOf(x) >= before && x.id === id && errorCode(x) !== undefined, `-32600 for ${what}`);
      assert.equal(errorCode(m), -32600, what);
    }
    raw.send({ jsonrpc: "2.0", id: 20, method: "codegen/no-such-method", params: {} });
    raw.send({ jsonrpc: "2.0", id: 21, method: "$/no-such-request" });
    raw.send({ jsonrpc: "2.0", method: "codegen/no-such-notification", params: {} });
    assert.equal(errorCode(await raw.response(20)), -32601);
    assert.equal(errorCode(await raw.response(21)), -32601);
    raw.send({ jsonrpc: "2.0", id: 22, method: "codegen/settings" });
    assert.ok((await raw.response(22)).result, "still serving");
  });

  it("takes an oversized message (a 24 MB didOpen, a 24 MB garbage body) without dying", async () => {
    raw = new RawServer();
    await raw.initialize();
    const big = "x".repeat(24 * 1024 * 1024);
    raw.send({ jsonrpc: "2.0", method: "textDocument/didOpen", params: { textDocument: { uri: "file:///big.ts", languageId: "typescript", version: 1, text: big } } });
    raw.send({ jsonrpc: "2.0", id: 2, method: "codegen/document", params: { uri: "file:///big.ts" } });
    assert.equal((await raw.response(2, "the big document", 30000)).result.text.length, big.length);
    raw.send("{" + big);
    await raw.waitFor((m) => m.id === null && errorCode(m) === -32700, "-32700 for a 24 MB non-JSON body", 30000);
    raw.send({ jsonrpc: "2.0", id: 3, method: "codegen/settings" });
    assert.ok((await raw.response(3)).result);
  });

  it("exits by itself (non-zero) when the framing is broken or stdin closes mid-message", async () => {
    raw = new RawServer();
    await raw.initialize();
    raw.writeRaw("Content-Length: banana\r\n\r\n{}");
    const code = await Promise.race([raw.exited, new Promise<string>((r) => setTimeout(() => r("hang"), 15000).unref())]);
    assert.notEqual(code, "hang", "the server exits instead of hanging");
    assert.notEqual(code, 0);
    assert.notEqual(code, null, "exited by itself, not killed");

    raw = new RawServer();
    await raw.initialize();
    raw.writeRaw('Content-Length: 500\r\n\r\n{"jsonrpc":"2.0","id":2,');
    raw.child.stdin!.end();
    const code2 = await Promise.race([raw.exited, new Promise<string>((r) => setTimeout(() => r("hang"), 15000).unref())]);
    assert.equal(code2, 1, "stdin closed without shutdown: exit code 1");
  });

  it("fuzz: random well-framed messages never hang it; every request with a valid id gets exactly one answer", async () => {
    raw = new RawServer();
    await raw.initialize(0);
    let nextId = 1000;
    const methods = fc.constantFrom(
      "textDocument/hover",
      "textDocument/completion",
      "textDocument/codeAction",
      "codeAction/resolve",
      "workspace/executeCommand",
      "codegen/document",
      "codegen/settings",
      "textDocument/didOpen",
      "textDocument/didChange",
      "textDocument/didClose",
      "workspace/didChangeConfiguration",
      "$/cancelRequest",
      "no/such",
      "",
    );
    const frame = fc.oneof(
      fc.record({ kind: fc.constant("request" as const), method: methods, params: fc.jsonValue({ maxDepth: 3 }) }),
      fc.record({ kind: fc.constant("notification" as const), method: methods, params: fc.jsonValue({ maxDepth: 3 }) }),
      fc.record({ kind: fc.constant("json" as const), value: fc.jsonValue({ maxDepth: 3 }) }),
      fc.record({ kind: fc.constant("bytes" as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
    );
    const server = raw;
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 12 }), async (frames) => {
        const ids: number[] = [];
        for (const f of frames) {
          if (f.kind === "request") {
            const id = nextId++;
            ids.push(id);
            server.send({ jsonrpc: "2.0", id, method: f.method, params: f.params });
          } else if (f.kind === "notification") server.send({ jsonrpc: "2.0", method: f.method, params: f.params });
          else if (f.kind === "json") server.send(JSON.stringify(f.value));
          else server.send(Buffer.from(f.bytes));
        }
        const probe = nextId++;
        server.send({ jsonrpc: "2.0", id: probe, method: "codegen/settings" });
        await server.response(probe, "the probe after a fuzzed sequence", 10000);
        for (const [k, id] of ids.entries()) {
          await server.response(id, `the answer to ${JSON.stringify(frames.filter((f) => f.kind === "request")[k]).slice(0, 300)}`, 10000);
          assert.equal(server.messages.filter((m) => m.id === id && !m.method).length, 1, `exactly one answer to ${id}`);
        }
      }),
      // One server serves every sequence, so shrinking would replay on a changed server: report the first failure.
      { seed: FUZZ_SEED, numRuns: fuzzRuns(40), endOnFailure: true },
    );
    assert.equal(raw.child.exitCode, null, "still running");
  });
});

describe("hardening: fuzzed document sync through the server process", function () {
  this.timeout(120000);
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.kill();
    server = undefined;
  });

  it("after random didOpen / didChange / didClose sequences the server's text equals the LSP model's", async () => {
    server = await startServer({ initializationOptions: fakeSettings(await unusedPortUrl(), { completion: { enabled: false } }) });
    const s = server;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 20 }), async (ops: Op[]) => {
        run++;
        // Fresh uris per run, so one run's documents never meet another's.
        const uriOf = (i: number) => DOCS[i]!.uri.replace("/fuzz/", `/fuzz${run}/`);
        const models = new Map<number, TextDocument>();
        for (const o of ops) {
          const d = DOCS[o.doc]!;
          const uri = uriOf(o.doc);
          if (o.op === "open") {
            models.set(o.doc, TextDocument.create(uri, d.languageId, 1, o.text));
            await s.openDocument(uri, d.languageId, o.text);
          } else if (o.op === "close") {
            models.delete(o.doc);
            await s.closeDocument(uri);
          } else {
            let model = models.get(o.doc);
            if (!model) continue;
            const changes = [];
            for (const raw of o.changes) {
              const r = applyToModel(model, raw);
              model = r.model;
              changes.push(r.change);
            }
            models.set(o.doc, model);
            await s.changeDocument(uri, model.version, changes);
          }
        }
        for (const i of DOCS.keys()) {
          const text = await s.documentText(uriOf(i));
          assert.equal(text, models.get(i)?.getText(), `${uriOf(i)} after ${JSON.stringify(ops).slice(0, 300)}`);
        }
        for (const i of models.keys()) await s.closeDocument(uriOf(i));
      }),
      { seed: FUZZ_SEED, numRuns: fuzzRuns(40) },
    );
    assert.equal(s.process.exitCode, null, "still running");
    assert.ok(!/unhandled/i.test(s.logMessages().join("\n")), "no unhandled errors logged");
  });
});
