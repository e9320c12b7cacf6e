/**
 * The prompt that asks the model to explain one symbol for an editor hover. Pure data in, chat
 * messages out: no IO, no LSP types.
 */
import type { ChatMessage } from "../llm/types.js";

/** One piece of code shown to the model, with where it came from. */
export interface HoverSnippet {
  /** A short label such as "definition", "imported from src/util.ts" or "code at the cursor". */
  label: string;
  text: string;
}

/** Everything the explanation prompt needs. */
export interface HoverPromptInput {
  /** The symbol to explain, as written at the cursor. */
  name: string;
  /** Fence language for the snippets (the document's languageId, may be ""). */
  fence: string;
  /** The file holding the cursor, relative to its workspace folder when possible. */
  filePath: string;
  /** The symbol's definition, when one was found (same file or a resolved import). */
  definition?: HoverSnippet;
  /** Other context the definition relies on (outline, referenced definitions), most needed first. */
  related: HoverSnippet[];
  /** The code around the cursor (the use site), when the cursor is not on the definition itself. */
  useSite?: HoverSnippet;
}

/**
 * The system message. Kept short and explicit because hover windows are small: the model must
 * answer in a few lines of markdown and never restate the code.
 */
export const HOVER_SYSTEM_PROMPT = [
  "You explain code to a programmer inside their editor's hover window.",
  "Answer in GitHub-flavoured Markdown, at most about 120 words, with no preamble and no closing remarks:",
  "- one or two sentences on what the symbol does and why a caller would use it;",
  "- **Parameters**: one short bullet per parameter (skip when it has none);",
  "- **Returns**: what it returns or yields (skip for non-functions);",
  "- **Edge cases**: only notable ones (errors thrown, empty or null input, side effects, mutation).",
  "Do not repeat the code or its signature. Do not wrap the answer in a code fence.",
  "If the definition is not shown, explain from the name and how it is used, and say that you are inferring.",
].join("\n");

/** Wraps code in a fence long enough that backticks inside the code cannot close it. */
export function fenceCode(text: string, fence: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}${fence}\n${text.replace(/\s+$/, "")}\n${ticks}`;
}

/** Builds the chat messages asking the model to explain `input.name`. */
export function buildHoverMessages(input: HoverPromptInput): ChatMessage[] {
  const parts: string[] = [`Explain \`${input.name}\` (file: ${input.filePath || "untitled"}).`];
  if (input.definition) {
    parts.push(`Its ${input.definition.label}:\n${fenceCode(input.definition.text, input.fence)}`);
  } else {
    parts.push("Its definition was not found in the workspace.");
  }
  for (const r of input.related) parts.push(`Related ${r.label}:\n${fenceCode(r.text, input.fence)}`);
  if (input.useSite) parts.push(`${capitalise(input.useSite.label)}:\n${fenceCode(input.useSite.text, input.fence)}`);
  return [
    { role: "system", content: HOVER_SYSTEM_PROMPT },
    { role: "user", content: parts.join("\n\n") },
  ];
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
