/**
 * Checks a file as it would be after an action: no syntax errors in the new code (re-parsed with
 * tree-sitter), a generated body that is no longer a stub, a definition that is still there.
 * The problem is phrased for the model, which sees it on the one retry.
 */
import { definitions, parseErrors, parseText, stubs } from "../syntax/index.js";
import type { RegionCheck } from "./plans.js";
import { positionAt } from "../text/positions.js";

/** Returns what is wrong with the changed file, or undefined when the change is sound. */
export function problemIn(check: RegionCheck): string | undefined {
  if (!check.language) return undefined;
  const errors = parseErrors(check.text, check.language, check.start, check.end);
  if (errors.length > 0) {
    const e = errors[0]!;
    const pos = positionAt(check.text, e.span.startOffset);
    const lineStart = check.text.lastIndexOf("\n", e.span.startOffset - 1) + 1;
    const lineEndAt = check.text.indexOf("\n", e.span.startOffset);
    const line = check.text.slice(lineStart, lineEndAt < 0 ? undefined : lineEndAt).replace(/\r$/, "");
    return `${e.message} at line ${pos.line + 1}: \`${line.trim()}\``;
  }
  if (check.notStub || check.keepsDefinition) {
    const parsed = parseText(check.text, check.language);
    if (check.notStub && stubs(parsed).some((s) => s.name === check.notStub!.name && s.span.startOffset <= check.end && s.span.endOffset >= check.start)) {
      return `\`${check.notStub.name}\` is still not implemented (the reply holds only a placeholder)`;
    }
    if (check.keepsDefinition && !definitions(parsed).some((d) => d.name === check.keepsDefinition)) {
      return `the reply removed \`${check.keepsDefinition}\``;
    }
  }
  return undefined;
}
