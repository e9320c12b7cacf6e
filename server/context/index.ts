/**
 * The context engine's public entry points. Features call `buildContext` with a target and a token
 * budget and receive ranked, whole syntactic chunks; `countTokens` is the one token counter.
 */
import { runEngine } from "./engine.js";

export { warmContext } from "./engine.js";
import type { ContextRequest, ContextResult } from "./types.js";

export { countTokens, warmUpTokenizer } from "./tokens.js";
export { invalidateWorkspaceFiles } from "./workspace.js";
export { formatContext } from "./format.js";
export type * from "./types.js";

/** Builds the context a target needs under `request.budgetTokens`; deterministic for the same input. */
export async function buildContext(request: ContextRequest): Promise<ContextResult> {
  return runEngine(request);
}
