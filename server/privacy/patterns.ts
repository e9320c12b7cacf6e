/**
 * Our own secret patterns, applied on top of secretlint's maintained recommended preset
 * (see `redact.ts`). secretlint knows the exact token formats of the big providers; this table
 * adds what a prompt of source code also holds and the preset does not cover: passwords inside any
 * URL or connection string, secret-named assignments in code, config and `.env` files, bearer
 * headers, and token shapes of providers missing from the preset (OpenAI-style `sk-` keys of
 * every vendor, Stripe, Google, Hugging Face, GitLab, JWTs).
 *
 * Each pattern names the capture group that holds the secret, so only the secret is replaced and
 * the code around it (quotes, keys, URLs) stays readable for the model.
 *
 * NOTE: these run on every prompt, on text we did not write (minified code, base64 blobs), so no
 * regex may backtrack without bound: repetitions that precede a required literal are bounded, and
 * the key of an assignment is checked by looking back from the value instead of scanning forward
 * from every word boundary (test/hardening/redact.test.ts feeds them adversarial input).
 */

/** One pattern: what it finds, and which capture group is the secret (0 = the whole match). */
export interface SecretPattern {
  /** Short label used in the placeholder, e.g. `[REDACTED:url-password]`. */
  id: string;
  /** Why it exists, for the table in the docs. */
  description: string;
  /** A global regex. */
  regex: RegExp;
  group: number;
  /** When set, the text just before the match (up to 80 characters) must match this (a secret-named key). */
  keyBefore?: RegExp;
  /** A line it must redact and the secret in it (checked by test/hardening/redact.test.ts). */
  example: { text: string; secret: string };
}

/** Words that make a key name secret-looking (`db_password`, `API_KEY`, `clientSecret`…). */
const SECRET_WORDS = "password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|auth[_-]?key|credentials?|private[_-]?key|client[_-]?secret|dsn|connection[_-]?string|database[_-]?url";

/** The pattern table. */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    id: "private-key",
    description: "PEM private keys (RSA, EC, DSA, OPENSSH, PGP blocks), the whole block.",
    regex: /-----BEGIN[ A-Z0-9]{0,32}PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,16384}?-----END[ A-Z0-9]{0,32}PRIVATE KEY(?: BLOCK)?-----/g,
    group: 0,
    example: { text: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----", secret: "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU=" },
  },
  {
    id: "url-password",
    description: "The password in any URL or connection string with credentials (scheme://user:password@host).",
    regex: /:\/\/[^\s:/@'"`]{1,256}:([^\s@/'"`]{1,256})@/g,
    group: 1,
    example: { text: "redis://cache:hunter2@10.0.0.5:6379/0", secret: "hunter2" },
  },
  {
    id: "conn-password",
    description: "Password fields of key=value connection strings (ADO.NET, JDBC, ODBC: Password=…; Pwd=…).",
    regex: /\b(?:password|pwd)[ \t]{0,8}=[ \t]{0,8}([^;'"`\s]{1,256})/gi,
    group: 1,
    example: { text: "Server=db;User Id=sa;Password=Tr0ub4dor&3;", secret: "Tr0ub4dor&3" },
  },
  {
    id: "secret-assignment",
    description: "A quoted value assigned to a secret-named key in code, JSON or YAML (apiKey: \"…\", DB_PASSWORD = '…').",
    regex: /(?::=|=>|=|:)[ \t]{0,8}(["'`])([^"'`\s]{6,512})\1/g,
    keyBefore: new RegExp(`[A-Za-z0-9_.-]{0,40}(?:${SECRET_WORDS})[A-Za-z0-9_.-]{0,40}["']?[ \\t]{0,8}$`, "i"),
    group: 2,
    example: { text: "client_secret: '4f9c2a7e1b8d'", secret: "4f9c2a7e1b8d" },
  },
  {
    id: "bearer",
    description: "Bearer / Basic credentials written into an Authorization header.",
    regex: /\b(?:Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{16,})/g,
    group: 1,
    example: { text: "Authorization: Bearer abcDEF123456ghiJKL789", secret: "abcDEF123456ghiJKL789" },
  },
  {
    id: "sk-key",
    description: "OpenAI-style secret keys used by many vendors (sk-…, sk-proj-…, sk-or-v1-…, sk-ant-…).",
    regex: /\bsk-[A-Za-z0-9_-]{20,}/g,
    group: 0,
    example: { text: "key = sk-or-v1-" + "0123456789abcdef0123456789abcdef", secret: "sk-or-v1-" + "0123456789abcdef0123456789abcdef" },
  },
  {
    id: "stripe-key",
    description: "Stripe secret and restricted keys.",
    regex: /\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}/g,
    group: 0,
    example: { text: "stripe('rk_live_" + "51HxYzAbCdEfGhIjKl')", secret: "rk_live_" + "51HxYzAbCdEfGhIjKl" },
  },
  {
    id: "google-api-key",
    description: "Google API keys.",
    regex: /\bAIza[0-9A-Za-z_-]{35}/g,
    group: 0,
    example: { text: "maps('AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q')", secret: "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q" },
  },
  {
    id: "aws-key-id",
    description: "AWS access key ids (they pair with a secret key and identify the account).",
    regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g,
    group: 0,
    example: { text: "id = AKIA" + "QWERTYUIOPASDFGH", secret: "AKIA" + "QWERTYUIOPASDFGH" },
  },
  {
    id: "github-token",
    description: "GitHub tokens (classic and fine-grained).",
    regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/g,
    group: 0,
    example: { text: "git clone with github_pat_" + "11ABCDEFG0123456789_abcdefghij", secret: "github_pat_" + "11ABCDEFG0123456789_abcdefghij" },
  },
  {
    id: "gitlab-token",
    description: "GitLab personal access tokens.",
    regex: /\bglpat-[0-9A-Za-z_-]{20,}/g,
    group: 0,
    example: { text: "glpat-" + "xYz123AbC456dEf789Gh", secret: "glpat-" + "xYz123AbC456dEf789Gh" },
  },
  {
    id: "huggingface-token",
    description: "Hugging Face access tokens.",
    regex: /\bhf_[A-Za-z0-9]{30,}/g,
    group: 0,
    example: { text: "HF = hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz01234567", secret: "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz01234567" },
  },
  {
    id: "slack-token",
    description: "Slack tokens and incoming-webhook URLs.",
    regex: /\bxox[abposr]-[0-9A-Za-z-]{10,}|https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g,
    group: 0,
    example: { text: "post to https://hooks.slack.com/services/" + "T000/B000/XXXXXXXX", secret: "https://hooks.slack.com/services/" + "T000/B000/XXXXXXXX" },
  },
  {
    id: "jwt",
    description: "JSON Web Tokens (three base64url parts, the first two JSON objects).",
    regex: /\beyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{8,4096}/g,
    group: 0,
    example: { text: "eyJhbGciOiJSUzI1NiJ9." + "eyJpc3MiOiJhY21lIn0.c2lnbmF0dXJlLXBhcnQ", secret: "eyJhbGciOiJSUzI1NiJ9." + "eyJpc3MiOiJhY21lIn0.c2lnbmF0dXJlLXBhcnQ" },
  },
  {
    id: "azure-account-key",
    description: "Azure storage account keys in connection strings.",
    regex: /\bAccountKey=([A-Za-z0-9+/=]{40,})/g,
    group: 1,
    example: { text: "AccountName=x;AccountKey=" + "a".repeat(20) + "B".repeat(24) + "==;", secret: "a".repeat(20) + "B".repeat(24) + "==" },
  },
];

/** A `.env`-style line: optional `export`, a key, `=`, a value (optionally quoted, optionally followed by a comment). */
const ENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)=(.*)$/;

/** Key names whose value is a secret wherever the line appears. */
const SECRET_KEY = new RegExp(`(?:${SECRET_WORDS}|auth)`, "i");

/** A found secret: offsets into the text and the label for its placeholder. */
export interface SecretRange {
  start: number;
  end: number;
  id: string;
}

/**
 * Finds `.env` values. A `KEY=value` line (no spaces around `=`) is redacted when its key names
 * a secret, and every value of a block of two or more such lines is redacted, because a dotenv
 * file's values are secrets more often than not. Values that are shell expansions (`$…`) or empty
 * are kept: they hold no secret and keep shell scripts readable.
 */
export function findEnvValues(text: string): SecretRange[] {
  const out: SecretRange[] = [];
  const lines: Array<{ start: number; valueStart: number; valueEnd: number; secretKey: boolean } | undefined> = [];
  let offset = 0;
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const m = ENV_LINE.exec(line);
    let entry: (typeof lines)[number];
    if (m) {
      const valueOffset = line.length - m[2]!.length;
      const span = envValueSpan(m[2]!);
      if (span) entry = { start: offset, valueStart: offset + valueOffset + span[0], valueEnd: offset + valueOffset + span[1], secretKey: SECRET_KEY.test(m[1]!) };
    }
    lines.push(entry);
    offset += raw.length + 1;
  }
  for (let i = 0; i < lines.length; i++) {
    const e = lines[i];
    if (!e) continue;
    const inBlock = Boolean(lines[i - 1] || lines[i + 1]);
    // In a block, values such as `production` or `3000` are kept: plain words are not secrets.
    if (e.secretKey || (inBlock && !isPlainWord(text.slice(e.valueStart, e.valueEnd)) && !/^\d+$/.test(text.slice(e.valueStart, e.valueEnd))))
      out.push({ start: e.valueStart, end: e.valueEnd, id: "env-value" });
  }
  return out;
}

/** The secret part of a dotenv value: inside quotes when quoted, before a ` #` comment otherwise. */
function envValueSpan(value: string): [number, number] | undefined {
  const q = value[0];
  if (q === '"' || q === "'" || q === "`") {
    const close = value.indexOf(q, 1);
    const end = close > 0 ? close : value.length;
    return end > 1 && value[1] !== "$" ? [1, end] : undefined;
  }
  const comment = value.search(/\s#/);
  const end = (comment >= 0 ? value.slice(0, comment) : value).trimEnd().length;
  if (end === 0 || value.startsWith("$")) return undefined;
  return [0, end];
}

/** Runs the pattern table over `text`. */
export function findPatternSecrets(text: string): SecretRange[] {
  const out: SecretRange[] = [];
  for (const p of SECRET_PATTERNS) {
    p.regex.lastIndex = 0;
    for (const m of text.matchAll(p.regex)) {
      const secret = m[p.group];
      if (!secret) continue;
      if (p.keyBefore && !p.keyBefore.test(text.slice(Math.max(0, m.index! - 80), m.index!))) continue;
      // The group's offset: the whole match's index plus where the group sits inside it.
      const within = p.group === 0 ? 0 : m[0].lastIndexOf(secret);
      const start = m.index! + within;
      out.push({ start, end: start + secret.length, id: p.id });
    }
  }
  // A secret-named key alone does not make its value a secret (`token_type = "access_token"`).
  return out.filter((r) => r.id !== "secret-assignment" || !isPlainWord(text.slice(r.start, r.end)));
}

/**
 * Values that only look like secrets because of where they stand (`token_type = "access_token"`,
 * `NODE_ENV=production`): a run of lowercase letters, `_` and `-` shorter than 16 characters is
 * a word, not a secret.
 */
function isPlainWord(s: string): boolean {
  return s.length < 16 && /^[a-z_-]+$/.test(s);
}
