/**
 * Wraps an `LlmClient` so that every request's text passes through the secret redaction before
 * the inner client sends it. This is the one place every model request goes through
 * (`createLlmClient` returns the wrapped client when `settings.redactSecrets` is on), so no
 * feature can forget it.
 */
import type { ChatRequest, InfillRequest, LlmClient, TextCompletionRequest, TextStream } from "../llm/types.js";
import { redactParts, warmUpRedaction } from "./redact.js";

/** How long after the client is built the pattern set is loaded in the background. */
const WARM_UP_DELAY_MS = 300;

export interface RedactionOptions {
  /** Secrets the server knows (the API key): replaced wherever they occur. */
  known?: readonly string[];
  /** Told how many secrets were replaced (never what they were). */
  onRedacted?: (labels: string[]) => void;
}

/** Returns a client that redacts secrets from every request before `inner` sends it. */
export function withRedaction(inner: LlmClient, opts: RedactionOptions = {}): LlmClient {
  // NOTE: loading the pattern set costs ~30 ms; do it shortly after start-up (not during the
  // initialize handshake) so the first completion does not pay for it.
  setTimeout(warmUpRedaction, WARM_UP_DELAY_MS).unref();
  const known = (opts.known ?? []).filter((k) => k.length >= 8);
  const redact = async (parts: string[]): Promise<string[]> => {
    const r = await redactParts(parts, known);
    if (r.found.length > 0) opts.onRedacted?.(r.found);
    return r.parts;
  };

  const redactChat = async (req: ChatRequest): Promise<ChatRequest> => {
    const messages = await Promise.all(req.messages.map(async (m) => ({ ...m, content: (await redact([m.content]))[0]! })));
    return { ...req, messages };
  };

  return {
    async chat(req) {
      return inner.chat(await redactChat(req));
    },
    chatStream(req) {
      return deferred(redactChat(req), (r) => inner.chatStream(r));
    },
    completeStream(req: TextCompletionRequest) {
      const redacted = (async (): Promise<TextCompletionRequest> => {
        // The prompt and suffix are one file cut at the cursor: redact them together.
        if (req.suffix === undefined) return { ...req, prompt: (await redact([req.prompt]))[0]! };
        const [prompt, suffix] = await redact([req.prompt, req.suffix]);
        return { ...req, prompt: prompt!, suffix: suffix! };
      })();
      return deferred(redacted, (r) => inner.completeStream(r));
    },
    infillStream(req: InfillRequest) {
      const redacted = (async (): Promise<InfillRequest> => {
        const [prefix, suffix] = await redact([req.prefix, req.suffix]);
        const extra = req.extra
          ? await Promise.all(req.extra.map(async (x) => ({ filename: x.filename, text: (await redact([x.text]))[0]! })))
          : undefined;
        return { ...req, prefix: prefix!, suffix: suffix!, ...(extra ? { extra } : {}) };
      })();
      return deferred(redacted, (r) => inner.infillStream(r));
    },
    listModels(signal) {
      return inner.listModels(signal);
    },
  };
}

/**
 * A stream that waits for the redacted request, then yields the inner stream's text.
 * NOTE: the redaction starts when the stream is created, not when it is first read, so a caller
 * that creates the stream during the debounce (completions do) sends it without waiting for it.
 */
function deferred<R>(redacted: Promise<R>, open: (req: R) => TextStream): TextStream {
  // A stream that is never read must not leave an unhandled rejection behind.
  redacted.catch(() => undefined);
  return (async function* () {
    yield* open(await redacted);
  })();
}
