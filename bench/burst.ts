/**
 * Burst benchmark: drives the built server as an editor does while the user types — per keystroke
 * a `didChange`, a `$/cancelRequest` for the previous completion request and a new completion
 * request — against the fake LLM with a fixed latency, and reports what the scheduler did.
 *
 *   npm run bench:burst -- [--bursts 8] [--latency 200] [--keys 20]
 *
 * The server runs as an editor starts it: the installed command, through the shebang of
 * dist/server/cli.js (which carries a Node flag that lowers peak memory).
 *
 * Never part of `npm test`: the numbers depend on the machine's load.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { CancellationTokenSource } from "vscode-languageserver-protocol/node";
import { AdaptiveDebounce } from "../server/scheduler/debounce.js";
import { schemaDefaults } from "../server/settings/schema.js";
import type { Settings } from "../server/settings/types.js";
import { startFakeLlm, type FakeLlm, type FakeRequest } from "../test/fakeLlm/server.js";
import { fakeSettings } from "../test/fakeLlm/settings.js";
import { startServer, type TestServer } from "../test/helpers/lspClient.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i]!;
  if (a.startsWith("--")) args.set(a.slice(2), process.argv[i + 1] ?? "true"), i++;
}
const BURSTS = Number(args.get("bursts") ?? 8);
const LATENCY = Number(args.get("latency") ?? 200);
const KEYS = Number(args.get("keys") ?? 20);
const WORD = "computeTotalsForDemoAndMoreLettersToType".slice(0, KEYS);
const REPLY = "(1, 2);";

/** The reply of a model that predicts the rest of the word being typed, then the call's arguments. */
function predictingReply(req: FakeRequest) {
  const prompt = String(req.body?.prompt ?? "");
  let typed = 0;
  for (let k = WORD.length; k > 0; k--) {
    if (prompt.endsWith(WORD.slice(0, k))) {
      typed = k;
      break;
    }
  }
  return { text: WORD.slice(typed) + REPLY, headersDelayMs: LATENCY };
}

const defaults = (schemaDefaults() as unknown as Settings).completion;
const bounds = { minMs: defaults.debounceMinMs, maxMs: defaults.debounceMaxMs };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** "12.0 ms", or "n/a" for a measure no run had. */
const msOr = (x: number, digits: number) => (Number.isFinite(x) ? `${x.toFixed(digits)} ms` : "n/a");
/** The median of the finite values (NaN when there are none). */
const median = (xs: number[]) => {
  xs = xs.filter((x) => Number.isFinite(x));
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};
const max = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);

interface BurstResult {
  calls: number;
  aborted: number;
  unanswered: number;
  /** Undefined when no call followed the last key (it was served by typing through). */
  lastPromptHasAllKeys: boolean | undefined;
  lastKeyToHttp: number;
  overheadBeyondDebounce: number;
  /** Measured inside the server: request arrival → model call start, minus the debounce it chose. */
  serverOverhead: number;
  lastKeyToResult: number;
  typeThroughCalls: number;
}

/** Types `WORD` into a fresh document at `intervalMs` per key, as an editor would. */
async function burst(s: TestServer, fake: FakeLlm, n: number, intervalMs: number): Promise<BurstResult> {
  // Each burst types into a line of its own, so no burst is served from an earlier one's cache.
  const lead = `const v${intervalMs}_${n} = `;
  const uri = await s.openDocument(`/tmp/burst-ws/doc${intervalMs}_${n}.ts`, "typescript", `export function f() {\n  return 1;\n}\n${lead}\n`);
  await sleep(1000); // a pause, so the rhythm starts fresh
  const before = fake.requests.length;
  const logsBefore = s.logMessages().length;
  const line = 3;
  const col0 = lead.length;
  const answered: boolean[] = [];
  const results: Array<Promise<any>> = [];
  const sentAt: number[] = [];
  let lastResultAt = 0;
  let previous: CancellationTokenSource | undefined;
  let version = 1;
  const start = performance.now();
  for (let i = 0; i < WORD.length; i++) {
    // Keep to the rhythm even when an iteration runs late.
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    sentAt.push(Date.now());
    void s.changeDocument(uri, ++version, [{ range: { start: { line, character: col0 + i }, end: { line, character: col0 + i } }, text: WORD[i]! }]);
    previous?.cancel();
    const source = new CancellationTokenSource();
    previous = source;
    const idx = i;
    answered.push(false);
    results.push(
      s.connection
        .sendRequest("textDocument/completion", { textDocument: { uri }, position: { line, character: col0 + i + 1 }, context: { triggerKind: 3 } }, source.token)
        .then((r) => {
          answered[idx] = true;
          lastResultAt = Date.now();
          return r;
        }),
    );
  }
  const lastKeyAt = sentAt.at(-1)!;
  await Promise.race([Promise.allSettled(results), sleep(LATENCY + 5000)]);
  const mine = fake.requests.slice(before).filter((r) => r.endpoint !== "models");
  for (const r of mine) await fake.waitForEnd(r, 5000).catch(() => r);
  const last: FakeRequest | undefined = mine.at(-1);

  // The debounce the server should have chosen for the last key, replayed from the send times.
  const d = new AdaptiveDebounce(() => bounds);
  let debounce = 0;
  for (const t of sentAt) debounce = d.next("u", t, false);

  const timing = s
    .logMessages()
    .slice(logsBefore)
    .map((m) => /model call ([\d.]+) ms after the request \(debounce (\d+) ms\)/.exec(m))
    .filter((m): m is RegExpExecArray => !!m)
    .at(-1);
  const serverOverhead = timing ? Number(timing[1]) - Number(timing[2]) : NaN;

  // Typing through: the next characters match the suggestion just shown.
  const callsBefore = fake.requests.filter((r) => r.endpoint !== "models").length;
  let col = col0 + WORD.length;
  for (const ch of REPLY.slice(0, 3)) {
    await s.changeDocument(uri, ++version, [{ range: { start: { line, character: col }, end: { line, character: col } }, text: ch }]);
    col++;
    await s.request("textDocument/completion", { textDocument: { uri }, position: { line, character: col }, context: { triggerKind: 3 } });
  }
  const typeThroughCalls = fake.requests.filter((r) => r.endpoint !== "models").length - callsBefore;
  await s.closeDocument(uri);

  // Served without a call after the last key (typing through a predicted word): no such latency.
  const lastKeyToHttp = last && last.receivedAt >= lastKeyAt ? last.receivedAt - lastKeyAt : NaN;
  return {
    calls: mine.length,
    aborted: mine.filter((r) => r.aborted).length,
    unanswered: answered.filter((a) => !a).length,
    lastPromptHasAllKeys: Number.isFinite(lastKeyToHttp) ? !!last && String(last.body?.prompt ?? "").endsWith(`${lead}${WORD}`) : undefined,
    lastKeyToHttp,
    overheadBeyondDebounce: lastKeyToHttp - debounce,
    serverOverhead: Number.isFinite(lastKeyToHttp) ? serverOverhead : NaN,
    lastKeyToResult: lastResultAt - lastKeyAt,
    typeThroughCalls,
  };
}

/** CPU time (user + system) a process has used so far, in ms. */
function cpuMs(pid: number): number {
  // Fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Spawn → initialize result: wall time, and the server's CPU time (which a loaded machine does not inflate), in ms. */
async function startupTimes(fake: FakeLlm, runs: number): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const s = await startServer({ initializationOptions: fakeSettings(fake.url), launch: "bin" });
    wall.push(performance.now() - t);
    cpu.push(cpuMs(s.process.pid!));
    await s.shutdown();
  }
  return { wall, cpu };
}

/** A realistic-looking TypeScript file of about `lines` lines. */
function bigDocument(seed: number, lines: number): string {
  const parts: string[] = [`import { readFileSync } from "node:fs";`, `import type { Stats } from "./stats.js";`, ""];
  let i = 0;
  while (parts.length < lines - 12) {
    const name = `handle${seed}_${i++}`;
    parts.push(
      `/** Processes batch ${i} of the ${seed} pipeline and returns its totals. */`,
      `export function ${name}(items: Array<{ id: number; value: number }>, stats: Stats): number {`,
      `  let total = 0;`,
      `  for (const item of items) {`,
      `    if (item.value > ${i % 97}) {`,
      `      total += item.value * ${(i % 7) + 1};`,
      `    } else {`,
      `      stats.skipped = (stats.skipped ?? 0) + 1;`,
      `    }`,
      `  }`,
      `  const raw = readFileSync("/tmp/${name}.json", "utf8");`,
      `  return total + raw.length;`,
      `}`,
      "",
    );
  }
  return parts.join("\n");
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function main(): Promise<void> {
  const fake = await startFakeLlm();
  fake.setDefault({ text: REPLY, headersDelayMs: LATENCY });
  const settings = fakeSettings(fake.url, { completion: { debounceMinMs: bounds.minMs, debounceMaxMs: bounds.maxMs }, maxRetries: 0 });

  const startup = await startupTimes(fake, 5);

  const s = await startServer({ initializationOptions: settings, launch: "bin" });
  const rows: Array<{ interval: number; predicts: boolean; runs: BurstResult[] }> = [];
  // A model that never guesses the word being typed (the worst case: every key needs a new call),
  // and one whose suggestion continues it (what completion models mostly do for an identifier
  // half typed: then typing through the shown suggestion needs no new call).
  for (const [interval, predicts] of [[30, false], [150, false], [150, true]] as const) {
    fake.setDefault(predicts ? predictingReply : { text: REPLY, headersDelayMs: LATENCY });
    const runs: BurstResult[] = [];
    for (let n = 0; n < BURSTS; n++) runs.push(await burst(s, fake, n + (predicts ? 100 : 0), interval));
    rows.push({ interval, predicts, runs });
  }
  fake.setDefault({ text: REPLY, headersDelayMs: LATENCY });
  const stats = await s.request("codegen/completionStats");
  await s.shutdown();

  // Memory: 50 open 2,000-line documents, each completed once.
  const m = await startServer({ initializationOptions: settings, launch: "bin" });
  const pid = m.process.pid!;
  const uris: string[] = [];
  const rssIdle = peakRssMb(pid);
  for (let i = 0; i < 50; i++) uris.push(await m.openDocument(`/tmp/burst-ws/big${i}.ts`, "typescript", bigDocument(i, 2000)));
  await m.settings(); // a round trip, so every didOpen has been handled
  const rssOpen = peakRssMb(pid);
  for (const uri of uris) {
    await m.request("textDocument/completion", { textDocument: { uri }, position: { line: 20, character: 4 }, context: { triggerKind: 1 } });
  }
  const rss = peakRssMb(pid);
  await m.shutdown();
  await fake.close();

  const table: Array<[string, string, string]> = [];
  for (const { interval, predicts, runs } of rows) {
    const tag = `${KEYS} keys @ ${interval} ms${predicts ? ", model predicts the word" : ""}`;
    table.push(
      [`${tag}: model calls per burst (max)`, `${max(runs.map((r) => r.calls))}`, interval === 30 ? "= 1" : "≤ 3"],
      [`${tag}: aborted calls per burst (max)`, `${max(runs.map((r) => r.aborted))}`, "stale ones only"],
      [`${tag}: unanswered requests (total)`, `${runs.reduce((a, r) => a + r.unanswered, 0)}`, "0"],
      [`${tag}: last prompt holds every key`, runs.some((r) => r.lastPromptHasAllKeys !== undefined) ? `${runs.filter((r) => r.lastPromptHasAllKeys).length}/${runs.filter((r) => r.lastPromptHasAllKeys !== undefined).length}` : "no call after the last key", "all"],
      [`${tag}: last key → HTTP request p50`, msOr(median(runs.map((r) => r.lastKeyToHttp)), 0), ""],
      [`${tag}: overhead beyond debounce p50 (client clock)`, msOr(median(runs.map((r) => r.overheadBeyondDebounce)), 1), "< 5 ms"],
      [`${tag}: overhead beyond debounce p50 (in the server)`, msOr(median(runs.map((r) => r.serverOverhead)), 1), "< 5 ms"],
      [`${tag}: last key → result p50 / max`, `${median(runs.map((r) => r.lastKeyToResult)).toFixed(0)} / ${max(runs.map((r) => r.lastKeyToResult)).toFixed(0)} ms`, interval > 100 && !predicts ? `≤ ${LATENCY + 100} ms: not with ≤ 3 calls (*)` : `≤ ${LATENCY + 100} ms`],
      [`${tag}: new calls while typing through`, `${max(runs.map((r) => r.typeThroughCalls))}`, "0"],
    );
  }
  table.push(
    ["scheduler totals: model calls / aborted / superseded / typing-through", `${stats.modelCalls} / ${stats.abortedCalls} / ${stats.superseded} / ${stats.typingThroughHits}`, ""],
    ["startup to initialize result p50 / max (wall)", `${median(startup.wall).toFixed(0)} / ${max(startup.wall).toFixed(0)} ms`, "< 150 ms"],
    ["startup CPU time of the server p50", `${median(startup.cpu).toFixed(0)} ms`, ""],
    ["peak RSS: idle server / 50 open 2,000-line documents", `${rssIdle.toFixed(0)} / ${rssOpen.toFixed(0)} MB`, ""],
    ["peak RSS: 50 open 2,000-line documents, one completion in each", `${rss.toFixed(0)} MB`, "< 120 MB"],
  );
  const w0 = Math.max(...table.map((r) => r[0].length));
  const w1 = Math.max(...table.map((r) => r[1].length));
  console.log(`model latency ${LATENCY} ms, debounce ${bounds.minMs}-${bounds.maxMs} ms, ${BURSTS} bursts per rhythm, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}\n`);
  console.log(`| ${"measure".padEnd(w0)} | ${"result".padEnd(w1)} | target |`);
  console.log(`| ${"-".repeat(w0)} | ${"-".repeat(w1)} | ------ |`);
  for (const [a, b, c] of table) console.log(`| ${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c} |`);
  // NOTE: why one target is marked. When keys come more than 100 ms apart (the slack the target allows) and the
  // model never continues the word being typed, no call started before a key can answer it, and a
  // result within latency + 100 ms of the last key needs a call started within 100 ms of it. The
  // server cannot know which key is the last, so that would mean a call after every key, against
  // "at most 3 calls". The server keeps the call count; the row shows what that costs.
  if (table.some((r) => r[2].endsWith("(*)"))) {
    console.log(`\n(*) A model that never continues the typed word, keys ${rows.find((r) => !r.predicts && r.interval > 100)?.interval} ms apart: a result within ${LATENCY + 100} ms of the last key needs a call after every key; the server keeps to at most 3 calls.\n`);
  }
  console.log(
    JSON.stringify({
      latencyMs: LATENCY,
      bursts: rows.map(({ interval, predicts, runs }) => ({ interval, predicts, runs })),
      startupMs: startup,
      scheduler: stats,
      peakRssMb: { idle: Math.round(rssIdle), open: Math.round(rssOpen), completed: Math.round(rss) },
    }),
  );
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
