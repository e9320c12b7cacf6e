/** Planted secrets shared by the privacy tests. */
import assert from "node:assert/strict";

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
