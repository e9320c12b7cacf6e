/**
 * Keeps the native memory of discarded tree-sitter trees from piling up. A tree's memory is freed
 * only when V8 collects its JavaScript wrapper, and V8 does not know about that memory (the
 * binding does not report it), so a workspace scan that parses many files grows the process by
 * hundreds of megabytes before the small JavaScript heap asks for a collection. The syntax layer
 * reports every full parse here; after enough of them, one full collection runs on the next turn
 * of the event loop (where the binding's finalisers then free the trees).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Estimated tree bytes parsed between two forced collections: about one 2,000-line document.
 * NOTE: was 16 MB; opening 50 such documents then kept up to 7 discarded trees alive at once.
 */
export const COLLECT_AFTER_BYTES = 4 * 1024 * 1024;

let parsedSince = 0;
let scheduled = false;
let collect: (() => void) | null | undefined;

/** V8's `gc()`, obtained once; null when the runtime refuses (then nothing is forced). */
function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      // NOTE: the flag only takes effect for contexts created after it is set, hence the new context.
      setFlagsFromString("--expose-gc");
      const gc = runInNewContext("gc") as unknown;
      collect = typeof gc === "function" ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** Records a full parse whose tree weighs about `bytes`; may schedule one collection. */
export function noteTreeParsed(bytes: number): void {
  parsedSince += bytes;
  if (parsedSince < COLLECT_AFTER_BYTES || scheduled) return;
  const gc = collector();
  if (!gc) return;
  scheduled = true;
  // On the next turn: the trees the current request replaced are unreachable by then.
  setImmediate(() => {
    scheduled = false;
    parsedSince = 0;
    gc();
  }).unref();
}
