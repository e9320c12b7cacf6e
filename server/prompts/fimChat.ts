/**
 * Fill-in-the-middle for chat-only endpoints: the file is shown with a hole marker and the model is
 * asked for exactly the text that fills the hole. Chat models like to wrap code in fences and to
 * repeat the line they were given, so the reply goes through `extractFimChatReply` first.
 */
import type { ChatMessage } from "../llm/types.js";
import type { FimInput } from "./fim.js";

/** The marker that stands for the cursor in the chat prompt. */
export const HOLE = "<|FILL_HERE|>";

/** The system message: reply with the hole's text only, since anything else lands in the user's file. */
export const FIM_CHAT_SYSTEM_PROMPT = [
  `You are a code completion engine inside a code editor. The user shows a file with one hole marked ${HOLE}.`,
  `Reply with only the text that replaces ${HOLE}: no explanation, no code fence, no repetition of the code before or after the hole.`,
  "The text must fit exactly between the code before and after the hole, continuing its indentation and style.",
  "If nothing should be inserted, reply with nothing.",
].join("\n");

/** Wraps code in a fence longer than any backtick run inside it. */
function fence(text: string, lang: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

/** Builds the chat messages that ask for the middle of `input`. */
export function buildFimChatMessages(input: FimInput): ChatMessage[] {
  const parts: string[] = [];
  for (const f of input.files) parts.push(`Context from ${f.path}:\n${fence(f.text.replace(/\s+$/, ""), input.languageId)}`);
  parts.push(`File ${input.path}:\n${fence(`${input.prefix}${HOLE}${input.suffix}`, input.languageId)}`);
  parts.push(
    input.multiline
      ? `Write the code that replaces ${HOLE}; it may span several lines but must end where the code after the hole begins.`
      : `Write the rest of the line at ${HOLE} (a single line, no newline).`,
  );
  return [
    { role: "system", content: FIM_CHAT_SYSTEM_PROMPT },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/**
 * The fill text from a chat reply: the inside of its first code fence when it has one, without a
 * stray hole marker, and without a repeated copy of the current line's start.
 */
export function extractFimChatReply(reply: string, prefix: string): string {
  let text = reply;
  const fenced = /(`{3,})[^\n`]*\n([\s\S]*?)(?:\n\1|$)/.exec(text);
  if (fenced) text = fenced[2] ?? "";
  text = text.split(HOLE).join("");
  // Chat models often restate the line up to the cursor; drop that echo.
  const lineStart = prefix.slice(prefix.lastIndexOf("\n") + 1);
  if (lineStart.trim() && text.startsWith(lineStart)) text = text.slice(lineStart.length);
  else if (lineStart.trim() && text.trimStart().startsWith(lineStart.trim())) text = text.trimStart().slice(lineStart.trim().length);
  return text;
}
