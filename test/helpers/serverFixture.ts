/**
 * The per-test world of the integration tests: a fresh fake LLM (and, when asked, a temporary
 * workspace) before each test; the server the test started, the fake and the workspace torn down after.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import type { TestServer } from "./lspClient.js";

export interface ServerFixture {
  fake: FakeLlm;
  /** The temporary workspace folder ("" when none was asked for). */
  ws: string;
  /** Set by the test when it starts a server; killed after each test. */
  server: TestServer | undefined;
}

/** Registers the beforeEach/afterEach hooks of a test file and returns their shared state. */
export function useServerFixture(workspacePrefix?: string): ServerFixture {
  const f = { ws: "", server: undefined } as unknown as ServerFixture;
  beforeEach(async () => {
    f.fake = await startFakeLlm();
    if (workspacePrefix) f.ws = fs.mkdtempSync(path.join(os.tmpdir(), workspacePrefix));
  });
  afterEach(async () => {
    await f.server?.kill();
    f.server = undefined;
    await f.fake.close();
    if (f.ws) fs.rmSync(f.ws, { recursive: true, force: true });
  });
  return f;
}
