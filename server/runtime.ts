/**
 * Everything the server loads after it answered initialize, in one dynamic import (server.ts):
 * the document store (tree-sitter), the scheduler (p-queue), the LLM client, the context engine's
 * workspace index and the features' code. None of it is needed for the initialize result, and
 * loading it took about half of the time from spawn to that result.
 */
export { createDocumentStore } from "./syntax/index.js";
export { createScheduler } from "./scheduler/index.js";
export { createLlmClient } from "./llm/client.js";
export { warmUpLlmPath } from "./llm/warmup.js";
export { invalidateWorkspaceFiles } from "./context/index.js";
export { features } from "./features/index.js";
