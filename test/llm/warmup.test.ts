/**
 * The start-up warm-up of the model-call path: one round trip through the real client to a
 * loopback listener of its own, never to the configured endpoint, leaving no listener behind.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { warmUpLlmPath } from "../../server/llm/warmup.js";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import { fakeSettings } from "../fakeLlm/settings.js";

/** Whether something accepts connections on 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("llm warm-up", () => {
  let fake: FakeLlm;
  beforeEach(async () => {
    fake = await startFakeLlm();
  });
  afterEach(async () => {
    await fake.close();
  });

  it("completes a streamed call without contacting the configured endpoint, and closes its listener", async () => {
    const r = await warmUpLlmPath(fakeSettings(fake.url, { apiKey: "sk-user-key-never-used" }));
    assert.equal(r.completed, true);
    assert.equal(fake.requests.length, 0, "the user's endpoint got a request");
    assert.ok(r.port, "the loopback port is reported");
    assert.equal(await accepts(r.port), false, "the warm-up's listener still accepts connections");
  });
});
