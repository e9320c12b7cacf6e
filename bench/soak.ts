/**
 * Soak benchmark: thousands of mixed editor requests (typing, completion, hover, code actions,
 * Explain, cancellations) against the built server while the fake LLM injects faults (errors,
 * 429s, hangs, stalls, cut and malformed streams, huge replies). Reports server RSS growth,
 * unanswered requests and crashes, and exits non-zero when a target is missed.
 *
 *   npm run bench:soak -- [--requests 3000] [--seconds 120] [--inflight 8] [--seed 7] [--rss-mb 400]
 *
 * Bounded in count and time; all traffic goes to 127.0.0.1. Never part of `npm test`.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { CancellationTokenSource } from "vscode-languageserver-protocol/node";
import { huge, startFakeLlm, type ReplySpec } from "../test/fakeLlm/server.js";
import { fakeSettings } from "../test/fakeLlm/settings.js";
import { startServer, type TestServer } from "../test/helpers/lspClient.js";
import { rng } from "./random.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i]!;
  if (a.startsWith("--")) args.set(a.slice(2), process.argv[i + 1] ?? "true"), i++;
}
const REQUESTS = Number(args.get("requests") ?? 3000);
const SECONDS = Number(args.get("seconds") ?? 120);
const INFLIGHT = Number(args.get("inflight") ?? 8);
const SEED = Number(args.get("seed") ?? 7);
/** Target: the server's resident memory stays under this. */
const RSS_BOUND_MB = Number(args.get("rss-mb") ?? 400);
/** How long answers may take to arrive after the last request before they count as unanswered. */
const DRAIN_MS = 15000;

const random = rng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The faults, with their share of model replies; the rest are healthy. */
const FAULTS: Array<[number, string, ReplySpec]> = [
  [0.05, "500", { status: 500 }],
  [0.03, "503", { status: 503 }],
  [0.04, "429", { status: 429, retryAfter: 0 }],
  [0.02, "401", { status: 401 }],
  [0.02, "404", { status: 404 }],
  [0.03, "hang", { hang: true }],
  [0.03, "stall", { text: "const partial = 1;\nconst more = 2;\n", stallAfterChunks: 1 }],
  [0.03, "cut", { text: "const cut = 1;\nconst off = 2;\n", cutAfterChunks: 1 }],
  [0.03, "malformed", { malformed: true }],
  [0.02, "huge", { text: huge(400_000) }],
  [0.05, "slow", { text: "return a + b;", headersDelayMs: 800 }],
];

const injected = new Map<string, number>();
function reply(endpoint: string): ReplySpec | string {
  let r = random();
  for (const [share, name, spec] of FAULTS) {
    if (r < share) {
      injected.set(name, (injected.get(name) ?? 0) + 1);
      return spec;
    }
    r -= share;
  }
  injected.set("ok", (injected.get("ok") ?? 0) + 1);
  return endpoint === "chat" ? "```ts\nreturn a + b;\n```\nAdds two numbers." : "a + b;";
}

const TS = `import { readFileSync } from "node:fs";

/** Adds two numbers. */
export function add(a: number, b: number): number {
  // TODO
}

export function total(xs: number[]): number {
  let sum = 0;
  for (const x of xs) sum = add(sum, x);
  return sum;
}

const n = tot
`;
const PY = `def scale(values, factor):
    """Multiplies every value."""
    pass


def main():
    print(scale([1, 2], 3))
    res = sca
`;

/** The server's resident set size in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

interface Doc {
  uri: string;
  text: string;
  version: number;
  language: string;
}

function posAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: before.length - before.lastIndexOf("\n") - 1 };
}

async function main(): Promise<void> {
  const fake = await startFakeLlm();
  fake.setDefault((req) => reply(req.endpoint));
  const server: TestServer = await startServer({
    initializationOptions: fakeSettings(fake.url, {
      requestTimeoutMs: 3000,
      idleTimeoutMs: 800,
      maxRetries: 1,
      retryMaxDelayMs: 50,
      hover: { timeoutMs: 1500 },
      actions: { resolveBudgetMs: 4000 },
      completion: { debounceMinMs: 0, debounceMaxMs: 30 },
      logLevel: "warn",
    }),
  });
  const pid = server.process.pid!;
  let crashed = false;
  void server.exited.then(() => (crashed = true));

  const docs: Doc[] = [];
  for (let i = 0; i < 20; i++) {
    const ts = i % 2 === 0;
    const text = ts ? TS : PY;
    const uri = await server.openDocument(`/tmp/soak-ws/file${i}.${ts ? "ts" : "py"}`, ts ? "typescript" : "python", text);
    docs.push({ uri, text, version: 1, language: ts ? "typescript" : "python" });
  }

  // Warm up once so the baseline RSS includes grammars and the tokenizer.
  await server.request("textDocument/hover", { textDocument: { uri: docs[0]!.uri }, position: posAt(TS, TS.indexOf("add(sum")) }).catch(() => null);
  const rssStart = rssMb(pid);
  let rssPeak = rssStart;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 250);

  const counts = new Map<string, number>();
  let sent = 0;
  let answered = 0;
  let errors = 0;
  const pending = new Set<Promise<unknown>>();
  const started = Date.now();
  const deadline = started + SECONDS * 1000;

  /** RSS every 500 requests, to tell a plateau (caches filling up to their bounds) from a leak. */
  const rssTrend: number[] = [];
  const track = (kind: string, p: Promise<unknown>) => {
    sent++;
    if (sent % 500 === 0) rssTrend.push(Math.round(rssMb(pid)));
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    const done = p.then(
      () => void answered++,
      () => {
        answered++;
        errors++;
      },
    );
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };

  while (sent < REQUESTS && Date.now() < deadline && !crashed) {
    while (pending.size >= INFLIGHT) await Promise.race(pending);
    const doc = pick(docs);
    const r = random();
    if (r < 0.3) {
      // Typing: insert a character at the end of the last line, then ask for a completion.
      const at = doc.text.length - 1;
      const ch = pick(["a", "l", "e", "(", " ", "1", "\u{1F600}"]);
      doc.text = doc.text.slice(0, at) + ch + doc.text.slice(at);
      doc.version++;
      await server.changeDocument(doc.uri, doc.version, [{ range: { start: posAt(doc.text, at), end: posAt(doc.text, at) }, text: ch }]);
      const source = new CancellationTokenSource();
      const req = server.connection.sendRequest(
        "textDocument/completion",
        { textDocument: { uri: doc.uri }, position: posAt(doc.text, at + ch.length) },
        source.token,
      );
      track("completion", req);
      if (random() < 0.3) setTimeout(() => source.cancel(), Math.floor(random() * 50));
    } else if (r < 0.6) {
      const offset = Math.floor(random() * doc.text.length);
      const source = new CancellationTokenSource();
      track("hover", server.connection.sendRequest("textDocument/hover", { textDocument: { uri: doc.uri }, position: posAt(doc.text, offset) }, source.token));
      if (random() < 0.2) setTimeout(() => source.cancel(), Math.floor(random() * 200));
    } else if (r < 0.85) {
      const offset = Math.floor(random() * doc.text.length);
      const at = posAt(doc.text, offset);
      const list = server.request("textDocument/codeAction", { textDocument: { uri: doc.uri }, range: { start: at, end: at }, context: { diagnostics: [] } });
      track("codeAction", list);
      // Now and then resolve the first action, as an editor would when the user picks it.
      const actions = (await list.catch(() => [])) as Array<{ data?: unknown; title: string }>;
      const first = actions.find((a) => a.data !== undefined);
      if (first && random() < 0.3) track("resolve", server.request("codeAction/resolve", first));
    } else {
      const offset = Math.floor(random() * doc.text.length);
      const at = posAt(doc.text, offset);
      track(
        "explain",
        server.request("workspace/executeCommand", { command: "codegen.explain", arguments: [{ uri: doc.uri, range: { start: at, end: at }, regenerate: random() < 0.5 }] }),
      );
    }
  }
  const sendSeconds = (Date.now() - started) / 1000;

  // Drain: every request must get an answer.
  const drainEnd = Date.now() + DRAIN_MS;
  while (pending.size > 0 && Date.now() < drainEnd && !crashed) await Promise.race([...pending, sleep(250)]);
  const unanswered = pending.size;
  await sleep(500);
  const rssEnd = rssMb(pid);
  clearInterval(sampler);
  const showMessages = server.showMessages().length;
  const crashedDuringRun = crashed;

  // Shut down with model calls in flight: they must be aborted, not waited for.
  let shutdownMs = NaN;
  let exitCode: number | null;
  if (crashedDuringRun) {
    exitCode = await server.exited;
  } else {
    fake.setDefault({ hang: true });
    const before = fake.requests.filter((r) => r.endpoint === "chat").length;
    for (let i = 0; i < 3; i++) {
      const doc = docs[i]!;
      const all = { start: posAt(doc.text, 0), end: posAt(doc.text, doc.text.length) };
      await server.request("workspace/executeCommand", { command: "codegen.explain", arguments: [{ uri: doc.uri, range: all, regenerate: true }] });
    }
    await fake.waitForRequests(before + 3, { endpoint: "chat", timeoutMs: 10000 }).catch(() => undefined);
    const t = Date.now();
    exitCode = await server.shutdown();
    shutdownMs = Date.now() - t;
  }
  await fake.close();

  const result = {
    bench: "soak",
    seed: SEED,
    requests: sent,
    byKind: Object.fromEntries(counts),
    seconds: Math.round(sendSeconds * 10) / 10,
    answered,
    errors,
    unanswered,
    crashed: crashedDuringRun,
    exitCode,
    shutdownMs,
    modelCalls: fake.requests.length,
    faultsInjected: Object.fromEntries(injected),
    showMessages,
    rssStartMb: Math.round(rssStart),
    rssPeakMb: Math.round(rssPeak),
    rssEndMb: Math.round(rssEnd),
    rssGrowthMb: Math.round(rssEnd - rssStart),
    rssEvery500: rssTrend,
    rssBoundMb: RSS_BOUND_MB,
    loadavg: loadavg()[0]!.toFixed(2),
  };
  const ok = unanswered === 0 && !crashedDuringRun && exitCode === 0 && rssPeak < RSS_BOUND_MB && shutdownMs < 1000;
  const rows: Array<[string, string, string]> = [
    ["requests sent", String(sent), `${Math.round(sent / sendSeconds)}/s over ${result.seconds} s`],
    ["answered (errors)", `${answered} (${errors})`, ""],
    ["unanswered", String(unanswered), "target 0"],
    ["crashes", crashedDuringRun ? "1" : "0", `exit code ${exitCode} (target 0 after shutdown)`],
    ["shutdown with 3 calls in flight", `${shutdownMs} ms`, "target < 1000 ms"],
    ["model calls", String(result.modelCalls), JSON.stringify(result.faultsInjected)],
    ["window/showMessage", String(showMessages), `${counts.get("explain") ?? 0} Explain commands each show one`],
    ["server RSS start / peak / end", `${result.rssStartMb} / ${result.rssPeakMb} / ${result.rssEndMb} MB`, `growth ${result.rssGrowthMb} MB; target peak < ${RSS_BOUND_MB} MB`],
    ["RSS every 500 requests", rssTrend.join(" "), "MB"],
  ];
  console.log(`\nsoak (seed ${SEED}, load ${result.loadavg})`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(32)} ${b.padEnd(22)} ${c}`);
  console.log(`${ok ? "PASS" : "FAIL"}`);
  console.log(JSON.stringify({ ...result, ok }));
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
