/**
 * The prompts behind the code actions. Each one tells the model exactly which slot its reply
 * fills ("only the body of function X", "only the test code to append to Y") and asks for one
 * fenced block, so the cleaners in postprocess/code have as little to guess as possible.
 * Pure data in, chat messages out: no IO, no LSP types.
 */
import type { ChatMessage } from "../llm/types.js";

/** What kind of action a prompt is for. */
export type ActionPromptKind = "generate" | "tests" | "document" | "fix" | "custom";

/** A piece of context shown to the model, with a label saying where it came from. */
export interface PromptSnippet {
  label: string;
  text: string;
}

/** Where the generated tests go, so the model writes the right kind of code for that place. */
export interface TestPlacementInfo {
  /** The test file, relative to the workspace ("src/util.test.ts"); the same file for in-file tests. */
  path: string;
  /** The file already exists: the reply is appended to it. */
  exists: boolean;
  /** Tests go inside the same file as the code (Rust's `mod tests`). */
  sameFile: boolean;
  /** The existing test module/block the reply goes into, when extending one (e.g. "mod tests"). */
  intoBlock?: string;
  /** The framework in use ("vitest", "pytest", …), when detected. */
  framework?: string;
  /** The file under test, relative to the workspace, so the model can write the import. */
  sourcePath?: string;
  /** The first lines of the existing test file, to follow its imports and style. */
  existingHead?: string;
}

/** Everything an action prompt needs. */
export interface ActionPromptInput {
  kind: ActionPromptKind;
  /** Human language name for the prose ("TypeScript"); the grammar id is fine too. */
  languageName: string;
  /** Fence info string for code shown to the model ("typescript"). */
  fence: string;
  /** The file holding the target, relative to its workspace folder. */
  filePath: string;
  /** The target function's name, when the action is about one. */
  name?: string;
  /** The target as it stands: the stub, the function, or the selected text. */
  code: string;
  /** Context from the context engine, most needed first. */
  context: PromptSnippet[];
  /** For "fix": the diagnostic message and the line(s) it points at. */
  diagnostic?: { message: string; source?: string; line: string };
  /** For "tests". */
  tests?: TestPlacementInfo;
  /** For "custom": the user's template and the selection. */
  custom?: { template: string; selection: string; slot: "stub" | "function" | "selection" };
  /** The previous attempt and why it was rejected; set on the one retry. */
  retry?: { reply: string; problem: string };
}

/** Wraps code in a fence long enough that backticks inside the code cannot close it. */
export function fenceCode(text: string, fence: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}${fence}\n${text.replace(/\s+$/, "")}\n${ticks}`;
}

const SYSTEM = [
  "You are a careful senior programmer editing a file inside the user's editor.",
  "Your reply is inserted into the file automatically, so it must be exactly the code asked for:",
  "one fenced code block, no explanation before or after it, no placeholders, no TODO comments.",
  "Use only names that exist in the code shown or in the language's standard library, and follow the style of the surrounding code.",
].join("\n");

/** The sentence that says which slot the reply fills; the most important line of every prompt. */
export function slotInstruction(input: ActionPromptInput): string {
  const n = input.name ? `\`${input.name}\`` : "the code";
  switch (input.kind) {
    case "generate":
      return (
        `Reply with only the body of ${n}: the statements that go inside it, in one \`\`\`${input.fence} block. ` +
        "Do not repeat its signature, its doc comment or its closing line; do not add other functions."
      );
    case "document":
      return (
        `Reply with the complete definition of ${n} with a documentation comment added in the usual doc style of ${input.languageName} ` +
        "(what it does, its parameters, what it returns, the errors it raises), in one fenced block. Copy the code itself unchanged."
      );
    case "fix":
      return (
        `Reply with the complete corrected definition of ${n}, from its signature line to its end, without its doc comment, ` +
        "in one fenced block. Change only what the diagnostic requires."
      );
    case "tests": {
      const t = input.tests;
      const fw = t?.framework ? ` using ${t.framework}` : "";
      if (t?.intoBlock) {
        return `Reply with only the new test functions${fw} for ${n}, to be added inside the existing \`${t.intoBlock}\` in this file, in one fenced block. Do not repeat the block's own header.`;
      }
      if (t?.sameFile) {
        return `Reply with only the test code${fw} for ${n} to append at the end of this file (a test module holding the tests, as is usual in ${input.languageName}), in one fenced block.`;
      }
      const where = t ? `${t.exists ? "append to the existing test file" : "put in the new test file"} \`${t.path}\`` : "put in a test file";
      const imp = t?.sourcePath ? ` The code under test is in \`${t.sourcePath}\`: import it the way this project does.` : "";
      return (
        `Reply with only the test code${fw} for ${n} to ${where}, in one fenced block, starting with the imports it needs ` +
        `(leave out imports the file already has).${imp} Cover normal cases and edge cases with concrete expected values.`
      );
    }
    case "custom": {
      const what = input.custom?.slot === "selection" ? "the selected code" : `the definition of ${n}`;
      return `Reply with only the code that replaces ${what}, in one fenced block.`;
    }
  }
}

/** Replaces {code} {selection} {context} {language} {filePath} in a user's custom action template. */
export function fillTemplate(template: string, values: Record<"code" | "selection" | "context" | "language" | "filePath", string>): string {
  return template.replace(/\{(code|selection|context|language|filePath)\}/g, (_, k: keyof typeof values) => values[k]);
}

function renderContext(input: ActionPromptInput): string {
  return input.context.map((c) => `${c.label}:\n${fenceCode(c.text, input.fence)}`).join("\n\n");
}

/** Builds the chat messages for one code action (and for its one retry). */
export function buildActionMessages(input: ActionPromptInput): ChatMessage[] {
  const parts: string[] = [];
  const ctx = renderContext(input);
  if (input.kind === "custom" && input.custom) {
    parts.push(
      fillTemplate(input.custom.template, {
        code: input.code,
        selection: input.custom.selection,
        context: ctx,
        language: input.languageName,
        filePath: input.filePath,
      }),
    );
  } else {
    parts.push(`File: ${input.filePath || "untitled"} (${input.languageName})`);
    if (ctx) parts.push(`Context from the workspace:\n\n${ctx}`);
    const label = input.kind === "generate" ? "The function to implement" : input.kind === "tests" ? "The function to test" : input.kind === "document" ? "The function to document" : "The code with the problem";
    parts.push(`${label}:\n${fenceCode(input.code, input.fence)}`);
    if (input.diagnostic) {
      const src = input.diagnostic.source ? ` (${input.diagnostic.source})` : "";
      parts.push(`Diagnostic${src}: ${input.diagnostic.message}\nAt this line:\n${fenceCode(input.diagnostic.line, input.fence)}`);
    }
    if (input.tests?.existingHead) parts.push(`The test file \`${input.tests.path}\` already exists and starts with:\n${fenceCode(input.tests.existingHead, input.fence)}`);
  }
  parts.push(slotInstruction(input));
  const messages: ChatMessage[] = [
    { role: "system", content: SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
  if (input.retry) {
    messages.push({ role: "assistant", content: input.retry.reply });
    messages.push({
      role: "user",
      content: `That reply cannot be used: ${input.retry.problem}\nReply again with corrected code only. ${slotInstruction(input)}`,
    });
  }
  return messages;
}
