/**
 * A guard in front of the JSON-RPC reader that answers the protocol errors vscode-jsonrpc leaves
 * unanswered, so an editor (or a fuzzer) sending a bad message gets the error the JSON-RPC 2.0 and
 * LSP specifications name instead of silence:
 * - a body that is not JSON (the framing is intact) → -32700 Parse error, and the server keeps
 *   reading (vscode-jsonrpc reports it as a reader error, which server.ts otherwise treats as fatal);
 * - a message that is not a valid request, notification or response → -32600 Invalid Request;
 * - a request before `initialize` → -32002 ServerNotInitialized (LSP), a notification before it
 *   (other than `exit`) is dropped;
 * - a `$/cancelRequest` without a valid id is dropped (vscode-jsonrpc would crash on it).
 * Only these cases are touched; every valid message passes through unchanged and in order.
 */
import type { DataCallback, Disposable, Event, Message, MessageReader, MessageWriter, PartialMessageInfo } from "vscode-languageserver/node";

/** JSON-RPC and LSP error codes the guard answers with. */
export const RpcErrorCodes = { parseError: -32700, invalidRequest: -32600, serverNotInitialized: -32002 } as const;

type Id = number | string | null;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const validId = (v: unknown): v is number | string => typeof v === "number" || typeof v === "string";

/**
 * Wraps `reader`; errors are answered through `writer`, and `logLine` hears about every rejected
 * message once initialize was seen. Part of the wiring next to server.ts: it speaks JSON-RPC only.
 */
export function guardReader(reader: MessageReader, writer: MessageWriter, logLine: (message: string) => void): MessageReader {
  let initializeSeen = false;
  // LSP allows no notification to the client before initialize, a log line included.
  const log = (message: string) => void (initializeSeen && logLine(message));
  const errorListeners: Array<(e: Error) => void> = [];

  const reply = (id: Id, code: number, message: string) => {
    void writer.write({ jsonrpc: "2.0", id, error: { code, message } } as Message).catch(() => undefined);
  };

  /** True when the message may reach the connection; otherwise it was answered (or dropped). */
  const admit = (msg: unknown): boolean => {
    if (!isObject(msg)) {
      reply(null, RpcErrorCodes.invalidRequest, "Invalid Request: a message must be a JSON object");
      log("rejected a message that is not a JSON object");
      return false;
    }
    const hasId = "id" in msg && msg.id !== undefined;
    if ("method" in msg) {
      if (typeof msg.method !== "string" || (hasId && !validId(msg.id))) {
        reply(validId(msg.id) ? msg.id : null, RpcErrorCodes.invalidRequest, "Invalid Request: method must be a string and id a number or a string");
        log("rejected a request with an invalid method or id");
        return false;
      }
      // NOTE: vscode-jsonrpc reads `params.id.toString()` of a cancel notification without a check,
      // and that throw surfaces as a reader error, which is fatal: a cancel without an id must go.
      if (msg.method === "$/cancelRequest" && !hasId && !(isObject(msg.params) && validId(msg.params.id))) {
        log("dropped a $/cancelRequest without a valid id");
        return false;
      }
      if (!initializeSeen) {
        if (msg.method === "initialize" && hasId) {
          initializeSeen = true;
          return true;
        }
        if (hasId) {
          reply(msg.id as number | string, RpcErrorCodes.serverNotInitialized, `the server is not initialized: ${msg.method} was sent before initialize`);
          log(`rejected ${msg.method} before initialize`);
          return false;
        }
        // Notifications before initialize are dropped, except exit (which must still end the process).
        return msg.method === "exit";
      }
      return true;
    }
    // No method: only a response (id plus result or error) is valid.
    if (hasId && ("result" in msg || "error" in msg)) return true;
    reply(validId(msg.id) ? msg.id : null, RpcErrorCodes.invalidRequest, "Invalid Request: neither a request, a notification nor a response");
    log("rejected a message that is neither a request, a notification nor a response");
    return false;
  };

  const parseErrors = reader.onError((error) => {
    // NOTE: vscode-jsonrpc reports a body that is not JSON as a reader error but keeps reading the
    // next message (the Content-Length framing is intact), so that one is answered, not fatal.
    if (error instanceof SyntaxError) {
      reply(null, RpcErrorCodes.parseError, `Parse error: ${error.message}`);
      log(`answered a message that is not valid JSON: ${error.message}`);
      return;
    }
    for (const l of [...errorListeners]) l(error);
  });

  const onError: Event<Error> = (listener: (e: Error) => unknown, thisArgs?: unknown): Disposable => {
    const bound = (e: Error) => void listener.call(thisArgs, e);
    errorListeners.push(bound);
    return { dispose: () => void errorListeners.splice(errorListeners.indexOf(bound), 1) };
  };

  return {
    onError,
    onClose: reader.onClose,
    onPartialMessage: reader.onPartialMessage as Event<PartialMessageInfo>,
    listen(callback: DataCallback): Disposable {
      return reader.listen((msg) => {
        if (admit(msg)) callback(msg);
      });
    },
    dispose() {
      parseErrors.dispose();
      reader.dispose();
    },
  };
}
