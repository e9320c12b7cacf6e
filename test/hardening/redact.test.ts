import assert from "node:assert/strict";
import { redactParts, redactText } from "../../server/privacy/redact.js";

/**
 * Realistic-looking fake secrets. They are built from pieces so that this file itself does not
 * trip secret scanners, and none of them is a real credential.
 */
export const SECRETS = {
  github: "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
  slack: "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
  openai: "sk-proj-" + "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa",
  anthropic: "sk-ant-api03-" + "q".repeat(40) + "Q1w2E3r4T5y6U7i8O9p0",
  aws: "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYzQ8WERTYKEY1",
  stripe: "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
  google: "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
  npm: "npm_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
  dbPassword: "S3cr3t-Pa55word",
  envValue: "whsec_" + "9f8e7d6c5b4a39281706",
  jwt: "eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0." + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
};

export const PRIVATE_KEY = [
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
  "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
  "-----END RSA PRIVATE KEY-----",
].join("\n");

/** A source file holding every kind of secret the redaction must catch. */
export function sourceWithSecrets(): string {
  return [
    `const github = "${SECRETS.github}";`,
    `const slack = '${SECRETS.slack}';`,
    `const client = new OpenAI({ apiKey: "${SECRETS.openai}" });`,
    `const anthropicKey = "${SECRETS.anthropic}";`,
    `const aws = { aws_secret_access_key: "${SECRETS.aws}" };`,
    `const stripe = "${SECRETS.stripe}";`,
    `const maps = "${SECRETS.google}";`,
    `const npmToken = "${SECRETS.npm}";`,
    `const db = "postgres://admin:${SECRETS.dbPassword}@db.internal:5432/app";`,
    `const headers = { Authorization: "Bearer ${SECRETS.jwt}" };`,
    `const pem = \`${PRIVATE_KEY}\`;`,
  ].join("\n");
}

export function assertNoSecret(text: string, where: string): void {
  for (const [name, value] of Object.entries(SECRETS)) assert.ok(!text.includes(value), `${name} leaked in ${where}`);
  assert.ok(!text.includes("MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"), `private key leaked in ${where}`);
}

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
