/**
 * Privacy through the server process: secrets planted in open documents and in workspace files
 * never reach the (fake) model, whichever feature builds the request.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import { fakeSettings } from "../fakeLlm/settings.js";
import { startServer, type TestServer } from "../helpers/lspClient.js";
import { posOf } from "../hover/positions.js";
import { assertNoSecret, SECRETS, sourceWithSecrets } from "./secrets.js";

/** A workspace whose imported module holds secrets inside the function the main file calls. */
function makeWorkspace(): { root: string; mainPath: string; main: string } {
  const root = mkdtempSync(join(tmpdir(), "codegen-privacy-"));
  mkdirSync(join(root, "src"));
  writeFileSync(
    join(root, "src", "config.ts"),
    [
      "/** Opens the database with the production credentials. */",
      "export function connect(): string {",
      `  const url = "postgres://admin:${SECRETS.dbPassword}@db.internal:5432/app";`,
      `  const stripe = "${SECRETS.stripe}";`,
      `  const github = "${SECRETS.github}";`,
      "  return url + stripe + github;",
      "}",
      "",
    ].join("\n"),
  );
  writeFileSync(join(root, ".env"), `DB_PASSWORD=${SECRETS.dbPassword}\nSTRIPE_WEBHOOK=${SECRETS.envValue}\n`);
  const main = ['import { connect } from "./config";', "", "export function start(): string {", "  return connect();", "}", ""].join("\n");
  writeFileSync(join(root, "src", "main.ts"), main);
  return { root, mainPath: join(root, "src", "main.ts"), main };
}

describe("privacy: secrets never reach the model", function () {
  this.timeout(30000);
  let fake: FakeLlm;
  let server: TestServer | undefined;
  let ws: ReturnType<typeof makeWorkspace>;

  beforeEach(async () => {
    fake = await startFakeLlm();
    fake.setDefault("It does things.");
    ws = makeWorkspace();
  });
  afterEach(async () => {
    await server?.kill();
    server = undefined;
    await fake.close();
    rmSync(ws.root, { recursive: true, force: true });
  });

  async function start(redactSecrets: boolean): Promise<TestServer> {
    server = await startServer({
      initializationOptions: fakeSettings(fake.url, { redactSecrets, hover: { contextTokens: 4000 } }),
      workspaceFolders: [ws.root],
    });
    return server;
  }
  const sent = () => fake.requests.map((r) => r.rawBody).join("\n");

  it("redacts secrets in the open document (hover on a function that holds them)", async () => {
    const s = await start(true);
    const text = `${sourceWithSecrets()}\n\nexport function useAll() {\n  return [github, slack, client, aws, db, pem];\n}\n\nuseAll();\n`;
    const uri = await s.openDocument(join(ws.root, "src", "secrets.ts"), "typescript", text);
    const result = await s.request("textDocument/hover", { textDocument: { uri }, position: posOf(text, "useAll();", 1) });
    assert.ok(result?.contents.value.includes("It does things."));
    // The Explain action on a selection over every secret line.
    await s.request("workspace/executeCommand", {
      command: "codegen.explain",
      arguments: [{ uri, range: { start: { line: 0, character: 0 }, end: posOf(text, "export function useAll") } }],
    });
    await s.waitForNotification("window/showMessage", (p) => p.message.includes("It does things."));
    assert.ok(fake.requests.length >= 2);
    assert.ok(sent().includes("[REDACTED:"), "placeholders were sent instead");
    assertNoSecret(sent(), "the requests to the model");
  });

  it("redacts secrets in workspace files the context engine reads (an imported definition)", async () => {
    const s = await start(true);
    const uri = pathToFileURL(ws.mainPath).href;
    await s.openDocument(uri, "typescript", ws.main);
    const result = await s.request("textDocument/hover", { textDocument: { uri }, position: posOf(ws.main, "connect();", 1) });
    assert.ok(result, "a hover came back");
    assert.equal(fake.requests.length, 1);
    assert.ok(sent().includes("production credentials"), "the imported definition was in the prompt");
    assert.ok(sent().includes("postgres://admin:[REDACTED:url-password]@db.internal"), "its secrets were replaced");
    assertNoSecret(sent(), "the request to the model");
  });

  it("redacts the values of an open .env file", async () => {
    const s = await start(true);
    const envText = `# local\nDB_PASSWORD=${SECRETS.dbPassword}\nSTRIPE_WEBHOOK=${SECRETS.envValue}\nAPI_URL=`;
    const uri = await s.openDocument(join(ws.root, ".env"), "dotenv", envText);
    await s.request("workspace/executeCommand", {
      command: "codegen.explain",
      arguments: [{ uri, range: { start: { line: 0, character: 0 }, end: posOf(envText, "API_URL=", 8) } }],
    });
    await s.waitForNotification("window/showMessage", (p) => p.message.includes("It does things."));
    assert.ok(sent().includes("DB_PASSWORD=[REDACTED:"), "the .env text was sent, redacted");
    assertNoSecret(sent(), "the request to the model");
  });

  it("redacts what completion and Generate implementation send (other features, same filter)", async () => {
    const s = await start(true);
    const text = [
      `const github = "${SECRETS.github}";`,
      `const db = "postgres://admin:${SECRETS.dbPassword}@db.internal:5432/app";`,
      "",
      "export function connectAll(): string {",
      "  // TODO",
      "}",
      "",
      "const conn = conn",
      "",
    ].join("\n");
    const uri = await s.openDocument(join(ws.root, "src", "app.ts"), "typescript", text);
    fake.setDefault((req) => (req.endpoint === "chat" ? "```ts\nreturn db + github;\n```" : "ectAll();"));
    await s.request("textDocument/completion", { textDocument: { uri }, position: posOf(text, "= conn\n", 6), context: { triggerKind: 1 } });
    const actions: Array<{ title: string; data?: unknown }> = await s.request("textDocument/codeAction", {
      textDocument: { uri },
      range: { start: posOf(text, "// TODO", 3), end: posOf(text, "// TODO", 3) },
      context: { diagnostics: [] },
    });
    const generate = actions.find((a) => a.title.startsWith("Generate"));
    assert.ok(generate, JSON.stringify(actions.map((a) => a.title)));
    await s.request("codeAction/resolve", generate);
    const endpoints = new Set(fake.requests.map((r) => r.endpoint));
    assert.ok(endpoints.has("chat") && endpoints.size >= 2, `both features asked the model: ${[...endpoints].join(", ")}`);
    assert.ok(sent().includes("connectAll"), "the document was sent");
    assertNoSecret(sent(), "completion and action requests");
  });

  it("sends the text as is when redactSecrets is off (so the checks above can fail)", async () => {
    const s = await start(false);
    const uri = pathToFileURL(ws.mainPath).href;
    const text = `const github = "${SECRETS.github}";\nexport function f() { return github; }\nf();\n`;
    await s.openDocument(uri, "typescript", text);
    await s.request("textDocument/hover", { textDocument: { uri }, position: posOf(text, "f();", 0) });
    assert.ok(sent().includes(SECRETS.github));
  });
});

describe("privacy: ignored files never reach the model", function () {
  this.timeout(30000);
  let fake: FakeLlm;
  let server: TestServer | undefined;
  let root: string;
  const MAIN = [
    'import { fromGitignored } from "./gitignored";',
    'import { fromCodegenignored } from "./codegenignored";',
    'import { fromExcluded } from "./excluded";',
    'import { fromAllowed } from "./allowed";',
    "",
    "export function run(): number {",
    "  return fromGitignored() + fromCodegenignored() + fromExcluded() + fromAllowed();",
    "}",
    "",
  ].join("\n");

  beforeEach(async () => {
    fake = await startFakeLlm();
    fake.setDefault("It does things.");
    root = mkdtempSync(join(tmpdir(), "codegen-ignore-"));
    mkdirSync(join(root, "src"));
    for (const name of ["gitignored", "codegenignored", "excluded", "allowed"]) {
      const fn = `from${name[0]!.toUpperCase()}${name.slice(1)}`;
      writeFileSync(join(root, "src", `${name}.ts`), `export function ${fn}(): number {\n  return 1; // MARKER_${name.toUpperCase()}\n}\n`);
    }
    writeFileSync(join(root, ".gitignore"), "src/gitignored.ts\n");
    writeFileSync(join(root, ".codegenignore"), "src/codegenignored.ts\n");
    writeFileSync(join(root, "src", "main.ts"), MAIN);
  });
  afterEach(async () => {
    await server?.kill();
    server = undefined;
    await fake.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function hoverEach(contextScope: "workspace" | "file"): Promise<string> {
    server = await startServer({
      initializationOptions: fakeSettings(fake.url, { exclude: ["src/excluded.ts"], contextScope }),
      workspaceFolders: [root],
    });
    const uri = pathToFileURL(join(root, "src", "main.ts")).href;
    await server.openDocument(uri, "typescript", MAIN);
    for (const fn of ["fromGitignored()", "fromCodegenignored()", "fromExcluded()", "fromAllowed()"]) {
      await server.request("textDocument/hover", { textDocument: { uri }, position: posOf(MAIN, fn, 2) });
    }
    return fake.requests.map((r) => r.rawBody).join("\n");
  }

  it("reads neither .gitignore'd, .codegenignore'd nor excluded files into context", async () => {
    const sent = await hoverEach("workspace");
    assert.ok(sent.includes("MARKER_ALLOWED"), "a normal imported file is read (so the check can fail)");
    for (const m of ["MARKER_GITIGNORED", "MARKER_CODEGENIGNORED", "MARKER_EXCLUDED"]) assert.ok(!sent.includes(m), `${m} was sent`);
  });

  it("keeps context to the current file with contextScope \"file\"", async () => {
    const sent = await hoverEach("file");
    assert.ok(fake.requests.length > 0);
    assert.ok(!sent.includes("MARKER_"), "no other file was read");
  });
});
