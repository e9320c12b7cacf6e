/**
 * What to tell the user when the server's code cannot be loaded. The usual cause: npm skipped
 * install scripts, so tree-sitter's native parser was never built. Used by cli.ts (loading
 * server.ts) and server.ts (loading the rest after initialize, see runtime.ts).
 */
import { packageRoot } from "./paths.js";

/** The message for a load failure caused by the native module, or undefined for any other error. */
export function nativeLoadFailure(e: unknown): string | undefined {
  if (!/tree-sitter|tree_sitter|\.node\b|NODE_MODULE_VERSION/.test(String((e as Error)?.stack ?? e))) return undefined;
  return (
    `codegen-language-server: the tree-sitter native module could not be loaded (${String((e as Error)?.message ?? e).split("\n")[0]}).\n` +
    `Rebuild it with: cd ${packageRoot()} && npm rebuild tree-sitter\n`
  );
}
