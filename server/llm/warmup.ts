/**
 * Warms the path every model call takes, once, in idle time after start-up: the `openai` package
 * is loaded, then one streamed `/v1/completions` call goes through this module's own client to a
 * throwaway server on the loopback interface that answers with one SSE chunk.
 *
 * Why a real round trip: the first HTTP request of a Node process compiles undici's fetch, its
 * WebAssembly HTTP parser and the SDK's request and stream code. Measured with a CPU profile of
 * the first completion after start-up (npm run bench:burst, first burst): ~30 ms before the
 * request left and ~15 ms more reading the reply, on the user's first suggestion. Nothing leaves
 * the machine: the request goes to 127.0.0.1 on a port the system picks, the listener accepts
 * only that one exchange and closes; the user's endpoint and key are never used.
 */
import { createServer, type AddressInfo } from "node:net";
import type { Settings } from "../settings/types.js";
import { createLlmClient, preloadLlmSdk } from "./client.js";

/** The whole reply of the throwaway server: one completions chunk, then the end of the stream. */
const REPLY = [
  "HTTP/1.1 200 OK",
  "content-type: text/event-stream",
  "connection: close",
  "",
  `data: ${JSON.stringify({ id: "warm-up", object: "text_completion", choices: [{ index: 0, text: "x", finish_reason: "stop" }] })}`,
  "",
  "data: [DONE]",
  "",
  "",
].join("\r\n");

/** Gives up on the warm-up after this long (it normally takes ~50 ms); a failure only means a colder first call. */
const TIMEOUT_MS = 3000;

/** How the warm-up went: whether the round trip completed, and the loopback port it used (closed again). */
export interface WarmUpResult {
  completed: boolean;
  port?: number;
}

/** Loads the SDK, then makes one loopback call through a client shaped by `settings`. Never throws. */
export async function warmUpLlmPath(settings: Settings): Promise<WarmUpResult> {
  await preloadLlmSdk();
  const server = createServer((socket) => {
    socket.on("error", () => undefined);
    // One request, one reply; the request body is not needed.
    socket.once("data", () => socket.end(REPLY));
  });
  server.on("error", () => undefined);
  // The listener must never keep the process alive (a shutdown during the warm-up).
  server.unref();
  let port: number | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    port = (server.address() as AddressInfo).port;
    const client = createLlmClient({ ...settings, baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: "", redactSecrets: false, maxRetries: 0, requestTimeoutMs: TIMEOUT_MS });
    for await (const _ of client.completeStream({ model: "warm-up", prompt: "", maxTokens: 1, temperature: 0 })) {
      // Reading the stream to its end is the point.
    }
    return { completed: true, port };
  } catch {
    // A colder first call is all a failure here costs.
    return { completed: false, port };
  } finally {
    server.close();
  }
}
