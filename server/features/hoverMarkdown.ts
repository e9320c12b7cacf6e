/**
 * Shapes what the hover window shows: the model's reply cleaned into a short markdown block under
 * the symbol's signature, and the short notes shown instead when no explanation can be had.
 * Pure string functions, so they are tested alone.
 */
import { fenceCode } from "../prompts/hover.js";

/** Longest explanation shown; hover windows are small and editors truncate badly. */
export const MAX_EXPLANATION_CHARS = 1600;

export interface ExplanationFrame {
  /** The symbol's signature, shown as a code block above the explanation when known. */
  signature?: string;
  /** Fence language for the signature block. */
  fence: string;
  /** The model that wrote it, named in a small footer so nobody mistakes it for documentation. */
  model: string;
}

/**
 * Cleans a model reply into the hover's explanation text: drops a fence wrapped around the whole
 * answer, trims blank lines, and cuts overlong answers at a line boundary. Returns "" when
 * nothing useful is left.
 */
export function cleanExplanation(reply: string, maxChars = MAX_EXPLANATION_CHARS): string {
  let text = reply.replace(/\r\n?/g, "\n").trim();
  // Some models wrap the whole answer in ```markdown … ``` despite being told not to.
  const wrapped = /^(`{3,})(?:markdown|md|text)?[ \t]*\n([\s\S]*?)\n\1\s*$/i.exec(text);
  if (wrapped) text = wrapped[2]!.trim();
  text = text.replace(/\n{3,}/g, "\n\n");
  if (text.length > maxChars) {
    const cut = text.slice(0, maxChars);
    const lastBreak = cut.lastIndexOf("\n");
    text = (lastBreak > maxChars / 2 ? cut.slice(0, lastBreak) : cut).trimEnd() + " …";
    text = closeOpenFence(text);
  }
  return text;
}

/** Closes a code fence left open by truncation, so the rest of the hover does not render as code. */
function closeOpenFence(text: string): string {
  const fences = text.match(/^\s*```/gm)?.length ?? 0;
  return fences % 2 === 1 ? `${text}\n\`\`\`` : text;
}

/** The full hover markdown: signature block, explanation, and a one-line footer. */
export function explanationMarkdown(explanation: string, frame: ExplanationFrame): string {
  const parts: string[] = [];
  if (frame.signature?.trim()) parts.push(fenceCode(frame.signature.trim(), frame.fence));
  parts.push(explanation);
  parts.push(`_Explained by ${frame.model || "the model"}; may be inaccurate._`);
  return parts.join("\n\n");
}

/** The note shown once when the endpoint cannot be reached (or rejects us); `reason` is the LlmError message. */
export function unavailableNote(reason: string): string {
  return [
    `**Explanation unavailable:** ${oneLine(reason)}`,
    "_Hover explanations stay quiet until the endpoint answers again or the settings change._",
  ].join("\n\n");
}

/** The note shown when the explanation did not arrive within `hover.timeoutMs`. */
export function slowNote(name: string): string {
  return `_Still explaining \`${name}\`… hover again in a moment._`;
}

/** The note shown when the model answered with nothing usable. */
export function emptyNote(name: string): string {
  return `_The model gave no explanation for \`${name}\`._`;
}

/** The note shown when the model call failed for a reason other than an outage (a rejected request, a bad reply). */
export function failedNote(name: string, reason: string): string {
  return `_No explanation for \`${name}\`: ${oneLine(reason)}_`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}
