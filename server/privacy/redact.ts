/**
 * Replaces secrets in outgoing text with placeholders such as `[REDACTED:github-token]`.
 *
 * Three sources of findings, merged: secretlint's maintained recommended preset (exact token
 * formats of AWS, GCP, GitHub, Slack, npm, SendGrid, Shopify, OpenAI, Anthropic, Linear,
 * 1Password, private keys, basic auth and database URLs), our pattern table (`patterns.ts`), and
 * the secrets the server itself knows (the configured API key).
 */
import type { SecretRange } from "./patterns.js";
import { findEnvValues, findPatternSecrets } from "./patterns.js";

/** What one redaction did, for logs and tests. */
export interface RedactionResult {
  /** The parts with every secret replaced. */
  parts: string[];
  /** Labels of the secrets replaced (one per replacement). */
  found: string[];
}

interface SecretlintMessage {
  ruleId: string;
  messageId?: string;
  range: [number, number];
  data?: Record<string, unknown>;
}

type LintSource = (args: {
  source: { filePath: string; content: string; contentType: "text" };
  options: { config: { rules: Array<{ id: string; rule: unknown }> }; maskSecrets?: boolean };
}) => Promise<{ messages: SecretlintMessage[] }>;

let secretlint: Promise<{ lint: LintSource; preset: unknown } | undefined> | undefined;

/** Loads secretlint once, lazily (it is only needed when something is about to be sent). */
function loadSecretlint(): Promise<{ lint: LintSource; preset: unknown } | undefined> {
  secretlint ??= Promise.all([
    import("@secretlint/core"),
    import("@secretlint/secretlint-rule-preset-recommend"),
    import("@secretlint/profiler").catch(() => undefined),
  ])
    .then(([core, preset, profiler]) => {
      // NOTE: secretlint's profiler (a singleton @secretlint/core marks on every lint) keeps every
      // performance mark and measure forever, in its own arrays and in the process's performance
      // timeline: about 10 entries per redaction, an unbounded leak in a long session (found with
      // heap snapshots during bench:soak). A server has no use for it, so marking is switched off.
      if (profiler?.secretLintProfiler) profiler.secretLintProfiler.mark = () => undefined;
      return { lint: core.lintSource as unknown as LintSource, preset: preset.creator as unknown };
    })
    .catch(() => undefined);
  return secretlint;
}

/** Starts loading the pattern set in the background so the first request does not wait for it. */
export function warmUpRedaction(): void {
  // One run over a short text after loading: the rules' first lint compiles their patterns, which
  // the first completion would otherwise pay.
  void loadSecretlint().then((sl) => (sl ? secretlintRanges("warm-up") : undefined)).catch(() => undefined);
}

/** Where secretlint found secrets in `text`. Falls back to nothing if secretlint cannot load. */
async function secretlintRanges(text: string): Promise<SecretRange[]> {
  const sl = await loadSecretlint();
  if (!sl || text.length === 0) return [];
  const r = await sl.lint({
    source: { filePath: "prompt.txt", content: text, contentType: "text" },
    options: { config: { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: sl.preset }] }, maskSecrets: false },
  });
  const out: SecretRange[] = [];
  for (const m of r.messages) {
    const id = label(m);
    // NOTE: some rules report a shifted range (the AWS secret-key rule points at the line start);
    // when the message names the secret, redact wherever that exact text occurs instead.
    const named = Object.values(m.data ?? {}).filter((v): v is string => typeof v === "string" && v.length >= 8 && text.includes(v));
    const spans: Array<[number, number]> = named.length
      ? named.flatMap((v) => occurrences(text, trimTail(v)).map((s): [number, number] => [s, s + trimTail(v).length]))
      : [[m.range[0], m.range[0] + trimTail(text.slice(m.range[0], m.range[1])).length]];
    for (const [start, end] of spans) {
      // For URLs with credentials only the password is secret; the host and user help the model.
      const inner = /^[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/]+)@/i.exec(text.slice(start, end));
      if (inner) {
        const at = start + inner[0].length - 1 - inner[1]!.length;
        out.push({ start: at, end: at + inner[1]!.length, id: "url-password" });
      } else if (end > start) {
        out.push({ start, end, id });
      }
    }
  }
  return out;
}

/** A short placeholder label from a secretlint message, e.g. "github-token". */
function label(m: SecretlintMessage): string {
  const rule = m.ruleId.replace(/^@secretlint\/secretlint-rule-/, "");
  return (m.messageId ? `${rule}-${m.messageId}` : rule)
    .replace(/([a-z])([A-Z])/g, "$1-$2")
    .replace(/_/g, "-")
    .toLowerCase();
}

/** Drops what greedy rules swallow after a secret: closing quotes, semicolons, commas, brackets. */
function trimTail(s: string): string {
  return s.replace(/["'`;,)\]}>\s]+$/, "");
}

function occurrences(text: string, needle: string): number[] {
  const out: number[] = [];
  if (!needle) return out;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) out.push(i);
  return out;
}

/** The placeholder that replaces a secret. It keeps quotes and keys around it intact. */
export function placeholder(id: string): string {
  return `[REDACTED:${id}]`;
}

/**
 * Redacts `parts` as if they were one text (a FIM prefix and suffix are one file cut at the
 * cursor: a secret spanning the cut is still found), and returns them with every secret replaced.
 * `known` lists secrets the server knows (the API key), replaced wherever they occur.
 */
export async function redactParts(parts: readonly string[], known: readonly string[] = []): Promise<RedactionResult> {
  const text = parts.join("");
  const ranges: SecretRange[] = [...findPatternSecrets(text), ...findEnvValues(text), ...(await secretlintRanges(text))];
  for (const k of known) {
    if (k.length >= 8) for (const s of occurrences(text, k)) ranges.push({ start: s, end: s + k.length, id: "api-key" });
  }
  if (ranges.length === 0) return { parts: [...parts], found: [] };
  const merged = mergeRanges(ranges);

  // Map the merged ranges back onto the parts; a range crossing a cut is redacted on both sides.
  const out: string[] = [];
  let base = 0;
  for (const part of parts) {
    const end = base + part.length;
    let result = "";
    let cursor = base;
    for (const r of merged) {
      if (r.end <= base || r.start >= end) continue;
      const s = Math.max(r.start, base);
      const e = Math.min(r.end, end);
      result += text.slice(cursor, s) + placeholder(r.id);
      cursor = e;
    }
    result += text.slice(cursor, end);
    out.push(result);
    base = end;
  }
  return { parts: out, found: merged.map((r) => r.id) };
}

/** Redacts one text. */
export async function redactText(text: string, known: readonly string[] = []): Promise<RedactionResult & { text: string }> {
  const r = await redactParts([text], known);
  return { ...r, text: r.parts[0]! };
}

/** Sorts and unions overlapping ranges; the earliest range's label wins. */
function mergeRanges(ranges: SecretRange[]): SecretRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: SecretRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start < last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}
