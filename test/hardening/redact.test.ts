import assert from "node:assert/strict";
import { findPatternSecrets, SECRET_PATTERNS } from "../../server/privacy/patterns.js";
import { redactParts, redactText } from "../../server/privacy/redact.js";
import { assertNoSecret, SECRETS, sourceWithSecrets } from "./secrets.js";

describe("secret redaction", () => {
  it("replaces every planted secret in source code and keeps the code around it", async () => {
    const src = sourceWithSecrets();
    const r = await redactText(src);
    assertNoSecret(r.text, "redacted source");
    assert.match(r.text, /const github = "\[REDACTED:[a-z-]+\]";/);
    assert.ok(r.text.includes('const db = "postgres://admin:[REDACTED:url-password]@db.internal:5432/app";'), r.text);
    assert.ok(r.text.includes("const pem = `[REDACTED:"), "the key block is one placeholder");
    assert.ok(r.found.length >= 11, `found ${r.found.join(",")}`);
  });

  it("redacts .env values but keeps plain words, numbers and shell expansions", async () => {
    const env = [
      "# local settings",
      "NODE_ENV=production",
      "PORT=3000",
      `STRIPE_WEBHOOK=${SECRETS.envValue}`,
      `DB_PASSWORD="${SECRETS.dbPassword}"`,
      "HOME_DIR=$HOME/app",
    ].join("\n");
    const r = await redactText(env);
    assertNoSecret(r.text, ".env");
    assert.ok(r.text.includes("NODE_ENV=production"));
    assert.ok(r.text.includes("PORT=3000"));
    assert.ok(r.text.includes("HOME_DIR=$HOME/app"));
    assert.ok(r.text.includes('DB_PASSWORD="[REDACTED:'));
  });

  it("redacts a secret-named assignment even alone, but not identifiers that merely look like one", async () => {
    const r = await redactText(`password = "hunter2hunter2"\ntoken_type = "access_token"\nexport API_KEY=abc123xyz789\n`);
    assert.ok(!r.text.includes("hunter2hunter2"));
    assert.ok(!r.text.includes("abc123xyz789"));
    assert.ok(r.text.includes('token_type = "access_token"'));
  });

  it("leaves ordinary code untouched", async () => {
    const code = `export function connect(url: string, password: string): Client {\n  const token = await login(url, password);\n  return new Client({ token });\n}\n`;
    const r = await redactText(code);
    assert.equal(r.text, code);
    assert.deepEqual(r.found, []);
  });

  it("finds a secret cut in two at the cursor and redacts both halves", async () => {
    const cut = SECRETS.github.length / 2;
    const prefix = `const t = "${SECRETS.github.slice(0, cut)}`;
    const suffix = `${SECRETS.github.slice(cut)}";\n`;
    const r = await redactParts([prefix, suffix]);
    assert.ok(!r.parts[0]!.includes(SECRETS.github.slice(4, cut)), r.parts[0]);
    assert.ok(!r.parts[1]!.includes(SECRETS.github.slice(cut)), r.parts[1]);
    assert.ok(r.parts[0]!.startsWith('const t = "'));
    assert.ok(r.parts[1]!.endsWith('";\n'));
  });

  it("replaces a known secret (the configured API key) wherever it occurs", async () => {
    const key = "my-own-endpoint-key-1234";
    const r = await redactText(`// key: ${key}\nconst k = process.env.KEY;`, [key]);
    assert.ok(!r.text.includes(key));
  });
});

describe("secret pattern table", () => {
  for (const p of SECRET_PATTERNS) {
    it(`${p.id}: redacts its example`, async () => {
      const r = await redactText(p.example.text);
      assert.ok(p.example.text.includes(p.example.secret), "the example holds its secret");
      assert.ok(!r.text.includes(p.example.secret), `${p.id} left its secret in: ${r.text}`);
      // Our own table alone catches it too (secretlint may also, but must not be needed).
      const own = findPatternSecrets(p.example.text);
      assert.ok(own.some((x) => x.id === p.id), `${p.id} did not match its example`);
    });
  }
});

describe("secret redaction on adversarial input", function () {
  this.timeout(60000);
  // Text shapes that make a backtracking regex quadratic or worse: long runs of key-like
  // characters, repeated half-patterns that never complete.
  const inputs: Array<[string, string]> = [
    ["dotted words", "a.b".repeat(30000)],
    ["dashed words", "ab-".repeat(30000)],
    ["secret words without values", "token.".repeat(20000)],
    ["half URLs", "http://a:b".repeat(10000)],
    ["half JWTs", "eyJabcdefghij.".repeat(8000)],
    ["key-ish assignments", "api_key=".repeat(12000)],
    ["begin markers", "-----BEGIN RSA PRIVATE KEY-----\n".repeat(3000)],
  ];
  for (const [name, text] of inputs) {
    it(`stays fast on ${name} (${Math.round(text.length / 1000)} kB)`, async () => {
      const started = Date.now();
      await redactText(text);
      // NOTE: a generous bound: linear scans take milliseconds; a backtracking regex takes minutes.
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    });
  }
});
