/**
 * The start-up warm-up of the model-call path: one round trip through the real client to a
 * loopback listener of its own, never to the configured endpoint, leaving no listener behind.
 */
import assert from "node:assert/strict";
import { warmUpLlmPath } from "../../server/llm/warmup.js";
import { startFakeLlm, type FakeLlm } from "../fakeLlm/server.js";
import { fakeSettings } from "../fakeLlm/settings.js";

const listeners = () => process.getActiveResourcesInfo().filter((r) => r === "TCPServerWrap").length;

describe("llm warm-up", () => {
  let fake: FakeLlm;
  beforeEach(async () => {
    fake = await startFakeLlm();
  });
  afterEach(async () => {
    await fake.close();
  });

  it("completes a streamed call without contacting the configured endpoint, and closes its listener", async () => {
    const before = listeners();
    assert.equal(await warmUpLlmPath(fakeSettings(fake.url, { apiKey: "sk-user-key-never-used" })), true);
    assert.equal(fake.requests.length, 0, "the user's endpoint got a request");
    // server.close() stops listening at once; the handle leaves the list within a turn or two of
    // the event loop (waited for, up to 2 s, so a loaded machine cannot fail the test).
    for (let i = 0; i < 40 && listeners() !== before; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(listeners(), before);
  });
});
