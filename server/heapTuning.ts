/**
 * Keeps V8's young generation at its initial size. By default it grows under allocation pressure
 * (parsing documents, building context) to 2 x 16 MB and stays there, so ~30 MB of the server's
 * resident memory was short-lived garbage waiting for the next scavenge (the burst benchmark's
 * 50-document peak). With a growth factor of 1 the semi-spaces keep their initial 1 MB: scavenges
 * come more often, each one cheaper.
 * NOTE: of V8's young-generation flags only this one is read after start-up (when the space would
 * grow); --max-semi-space-size is read once, when the heap is set up, and a server started as
 * `codegen-language-server --stdio` has no way to pass it.
 */
import { setFlagsFromString } from "node:v8";

/** Called once, when the server has answered initialize (server.ts). */
export function keepYoungGenerationSmall(): void {
  try {
    setFlagsFromString("--semi-space-growth-factor=1");
  } catch {
    // A runtime that refuses the flag keeps V8's default: more memory, same behaviour.
  }
}
