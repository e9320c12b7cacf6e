/**
 * Completion prompts for each way fill-in-the-middle reaches a model (settings.completion.fimMode):
 * `/v1/completions` with `suffix` (the server applies the template), `/v1/completions` with the
 * family's own tokens, llama.cpp `/infill` (prefix, suffix and extra files apart), or a chat
 * message for chat-only endpoints. Pure data in, plain request data out: no IO, no LSP types.
 */
import type { ContextResult } from "../context/types.js";
import type { ChatMessage, InfillRequest } from "../llm/types.js";
import type { FimMode } from "../settings/types.js";
import { buildFimChatMessages } from "./fimChat.js";
import { commentHeaderedPrefix, type FimContextFile, type FimTemplate } from "./fimTemplates.js";

/** Everything a completion prompt is made of, whatever the mode. */
export interface FimInput {
  /** Text before the cursor (a window of the document, starting at a line boundary). */
  prefix: string;
  /** Text after the cursor. */
  suffix: string;
  /** The current file's path relative to the workspace (or its name). */
  path: string;
  /** The document's language id, for the chat prompt's fences. */
  languageId: string;
  /** Other files' context, most relevant first. */
  files: FimContextFile[];
  lineComment: string;
  repoName: string;
  /** Whether a single line is wanted (mid-expression) or a block (empty body). */
  multiline: boolean;
}

/** The request data for one completion, by mode. The feature hands it to the matching LlmClient call. */
export type FimPrompt =
  | { mode: "completions-suffix"; prompt: string; suffix: string; stop: string[] }
  | { mode: "completions-template"; prompt: string; stop: string[] }
  | { mode: "llamacpp-infill"; prefix: string; suffix: string; extra: NonNullable<InfillRequest["extra"]>; stop: string[] }
  | { mode: "chat"; messages: ChatMessage[]; stop: string[] };

/** Builds the prompt for the resolved FIM mode and the model family's template. */
export function renderFim(input: FimInput, mode: Exclude<FimMode, "auto">, template: FimTemplate): FimPrompt {
  switch (mode) {
    case "completions-suffix":
      // The server wraps prompt and suffix in the model's own FIM tokens, so context must live
      // in the prompt as ordinary code: comment-headed blocks before the current file.
      return { mode, prompt: commentHeaderedPrefix(input), suffix: input.suffix, stop: template.stop };
    case "completions-template":
      return {
        mode,
        prompt: template.render({
          prefix: input.prefix,
          suffix: input.suffix,
          path: input.path,
          files: input.files,
          lineComment: input.lineComment,
          repoName: input.repoName,
        }),
        stop: template.stop,
      };
    case "llamacpp-infill":
      // llama.cpp applies the template itself and lays `input_extra` out as separate files.
      return {
        mode,
        prefix: input.prefix,
        suffix: input.suffix,
        extra: input.files.map((f) => ({ filename: f.path, text: f.text })),
        stop: template.stop,
      };
    case "chat":
      return { mode, messages: buildFimChatMessages(input), stop: [] };
  }
}

/**
 * The FIM input for a cursor from the context engine's result: its cursor window as prefix and
 * suffix, and every other chunk as context grouped by file (rank order kept, so the most needed
 * file comes first and stays nearest the cursor for families that read top to bottom).
 */
export function fimInputFromContext(
  ctx: ContextResult,
  fallback: { prefix: string; suffix: string },
  meta: Pick<FimInput, "path" | "languageId" | "lineComment" | "repoName" | "multiline">,
): FimInput {
  const byFile = new Map<string, string[]>();
  for (const chunk of ctx.chunks) {
    if (chunk.source === "target") continue;
    const key = chunk.relativePath || chunk.filePath || meta.path;
    const list = byFile.get(key) ?? [];
    list.push(chunk.text);
    byFile.set(key, list);
  }
  // NOTE: the files are reversed so the most relevant one ends up closest to the cursor, where
  // models attend most; within a file the chunks keep their order.
  const files = [...byFile.entries()].map(([path, texts]) => ({ path, text: texts.join("\n\n") })).reverse();
  return {
    prefix: ctx.cursor?.prefix ?? fallback.prefix,
    suffix: ctx.cursor?.suffix ?? fallback.suffix,
    files,
    ...meta,
  };
}

/** A stable string that names everything the model's answer depends on, for the result cache. */
export function fimCacheKey(model: string, prompt: FimPrompt, maxTokens: number): string {
  return JSON.stringify([model, maxTokens, prompt]);
}
