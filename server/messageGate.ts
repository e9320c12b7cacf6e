/**
 * Holds every message that follows `initialize` until the server is ready for it, then delivers
 * them in arrival order. The initialize result needs only the settings and the features' declared
 * capabilities, so server.ts answers it before loading the document store (tree-sitter), the
 * scheduler, the LLM client and the features' code, and holds what comes next until they are
 * loaded: startup to the initialize result no longer pays for them.
 * Part of the wiring next to server.ts and rpcGuard.ts: it speaks JSON-RPC only.
 */
import type { DataCallback, Disposable, Event, Message, MessageReader } from "vscode-languageserver/node";

/** The gated reader and the switch that opens it. */
export interface MessageGate {
  reader: MessageReader;
  /** Delivers the held messages (and a close that came meanwhile), and every later one at once. */
  release(): void;
}

/** Wraps `reader` so that everything after the `initialize` request waits for `release()`. */
export function holdAfterInitialize(reader: MessageReader): MessageGate {
  let initializeSeen = false;
  let open = false;
  const held: Message[] = [];
  let deliver: DataCallback | undefined;
  let closedWhileHeld = false;
  const closeListeners: Array<() => void> = [];

  const isInitialize = (msg: Message) => (msg as { method?: unknown }).method === "initialize" && "id" in msg;

  // NOTE: a client that sends exit and closes the stream at once must still get its held messages
  // handled first (shutdown, exit), so the close is held with them.
  const closeSub = reader.onClose(() => {
    if (open) for (const l of [...closeListeners]) l();
    else closedWhileHeld = true;
  });
  const onClose: Event<void> = (listener: (e: void) => unknown, thisArgs?: unknown): Disposable => {
    const bound = () => void listener.call(thisArgs);
    closeListeners.push(bound);
    return { dispose: () => void closeListeners.splice(closeListeners.indexOf(bound), 1) };
  };

  return {
    reader: {
      onError: reader.onError,
      onClose,
      onPartialMessage: reader.onPartialMessage,
      listen(callback: DataCallback): Disposable {
        deliver = callback;
        return reader.listen((msg) => {
          if (open || !initializeSeen) {
            if (isInitialize(msg)) initializeSeen = true;
            callback(msg);
          } else {
            held.push(msg);
          }
        });
      },
      dispose() {
        closeSub.dispose();
        reader.dispose();
      },
    },
    release() {
      if (open) return;
      open = true;
      for (const msg of held.splice(0)) deliver?.(msg);
      if (closedWhileHeld) for (const l of [...closeListeners]) l();
    },
  };
}
