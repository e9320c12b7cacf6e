/**
 * Two V8 settings that keep the server's resident memory (and its peak) small. Both are flags V8
 * reads when it needs them, so they apply when set after start-up, also to a server started as
 * `node dist/server/cli.js`. (Settings read only at start-up ride the command's shebang instead:
 * see cli.ts.)
 *
 * - `--semi-space-growth-factor=1`: the young generation keeps its initial 2 x 1 MB. By default it
 *   grows under allocation pressure (parsing documents, building context) to 2 x 16 MB and stays
 *   there: ~30 MB of resident memory that was short-lived garbage waiting for the next scavenge
 *   (the burst benchmark's 50-document peak). Scavenges come more often, each one cheaper.
 *   (--max-semi-space-size, by contrast, is read once, when the heap is set up.)
 * - `--liftoff-only`: WebAssembly stays on V8's baseline compiler. The one WebAssembly module the
 *   server runs is llhttp, inside Node's fetch (undici); after the first model call V8 recompiled
 *   it with TurboFan in the background, a ~25 MB spike of resident memory for a parser that reads
 *   a few kilobytes per request.
 */
import { setFlagsFromString } from "node:v8";

/** Called once, when the server has answered initialize and before it loads the rest (server.ts). */
export function limitMemoryPeaks(): void {
  for (const flag of ["--semi-space-growth-factor=1", "--liftoff-only"]) {
    try {
      setFlagsFromString(flag);
    } catch {
      // A runtime that refuses a flag keeps V8's default: more memory, same behaviour.
    }
  }
}
