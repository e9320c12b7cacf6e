/**
 * Hover under every kind of endpoint fault, through the server process: the hover says why in
 * its own window (never a popup), an outage is told once, and hovers work again once the fault
 * clears. Table-driven: one row per fault.
 */
import assert from "node:assert/strict";
import { huge, type ReplySpec } from "../fakeLlm/server.js";
import { useServerFixture } from "../helpers/serverFixture.js";
import { fakeSettings } from "../fakeLlm/settings.js";
import { startServer, type TestServer } from "../helpers/lspClient.js";
import { MAX_EXPLANATION_CHARS } from "../../server/features/hoverMarkdown.js";
import { posOf } from "./positions.js";

const TS = `export function add(a: number, b: number): number {
  return a + b;
}

export function twice(x: number): number {
  return add(x, x);
}

export function thrice(x: number): number {
  return add(add(x, x), x);
}
`;
const OK = "Adds its arguments.";

interface Row {
  name: string;
  fault: ReplySpec;
  /** What the first hover shows. */
  first: RegExp;
  /** True when the fault is an outage: the second hover (another symbol) is then empty. */
  outage: boolean;
}

const ROWS: Row[] = [
  { name: "401", fault: { status: 401 }, first: /^\*\*Explanation unavailable:\*\*.*(401|key)/i, outage: true },
  { name: "403", fault: { status: 403 }, first: /^\*\*Explanation unavailable:\*\*/, outage: true },
  { name: "unknown model (404)", fault: { status: 404, errorMessage: "model 'fake-chat' not found" }, first: /^\*\*Explanation unavailable:\*\*.*fake-chat/, outage: true },
  { name: "429 with Retry-After", fault: { status: 429, retryAfter: 0 }, first: /^\*\*Explanation unavailable:\*\*/, outage: true },
  { name: "502", fault: { status: 502 }, first: /^\*\*Explanation unavailable:\*\*/, outage: true },
  { name: "malformed JSON", fault: { malformed: true }, first: /^_No explanation for `add`:/, outage: false },
];

describe("hover under endpoint faults (server process + fake LLM)", function () {
  this.timeout(30000);
  const f = useServerFixture();

  const hover = (s: TestServer, uri: string, needle: string, nth = 0) =>
    s.request("textDocument/hover", { textDocument: { uri }, position: posOf(TS, needle, 1, nth) });

  for (const row of ROWS) {
    it(`${row.name}: says why in the hover, ${row.outage ? "once, " : ""}no popup, and recovers`, async () => {
      f.fake.setDefault(row.fault);
      f.server = await startServer({ initializationOptions: fakeSettings(f.fake.url, { maxRetries: 0 }) });
      const s = f.server;
      const uri = await s.openDocument("/tmp/hover-faults/a.ts", "typescript", TS);
      const first = await hover(s, uri, "add(x, x)");
      assert.match(first?.contents.value ?? "", row.first);
      const second = await hover(s, uri, "twice");
      if (row.outage) assert.equal(second, null, "told once");
      else assert.match(second?.contents.value ?? "", /^_No explanation for `twice`/);
      assert.equal(s.showMessages().length, 0, "no popup");
      f.fake.setDefault(OK);
      const after = await hover(s, uri, "add(x, x)");
      assert.ok(after?.contents.value.includes(OK), "works again once the fault clears");
    });
  }

  it("an enormous reply is cut to a hover-sized explanation", async () => {
    f.fake.setDefault({ text: huge(300_000) });
    f.server = await startServer({ initializationOptions: fakeSettings(f.fake.url, { maxRetries: 0 }) });
    const uri = await f.server.openDocument("/tmp/hover-faults/a.ts", "typescript", TS);
    const result = await hover(f.server, uri, "add(x, x)");
    const value: string = result?.contents.value ?? "";
    assert.ok(value.length > 100 && value.length < MAX_EXPLANATION_CHARS + 400, `length ${value.length}`);
  });
});
