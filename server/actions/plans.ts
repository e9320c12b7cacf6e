/**
 * A plan says where an action's reply goes and turns the reply into file changes. Plans are built
 * from the document as it is now, so a plan built again after the user edited places the same
 * reply at the target's new position (or fails: never at a stale offset).
 */
import { cleanCode } from "../postprocess/code/index.js";
import type { Definition, SyntaxDocument } from "../syntax/types.js";
import { textEdit } from "./edits.js";
import type { Region } from "./slots.js";
import type { FileChange } from "./types.js";

/** A parse check to run on a file as it would be after the change. */
export interface RegionCheck {
  /** The whole new text of the file. */
  text: string;
  language: string | undefined;
  start: number;
  end: number;
  /** When set, this function must no longer be a stub (the model did not just echo a placeholder). */
  notStub?: { name: string; offset: number };
  /** When set, a definition of this name must still exist (Document and Fix must not drop it). */
  keepsDefinition?: string;
}

export type BuildResult = { ok: true; changes: FileChange[]; checks: RegionCheck[] } | { ok: false; reason: string };

/** Where a reply goes and how it becomes changes. */
export interface Plan {
  uri: string;
  version: number;
  /** The code the prompt shows as the target. */
  targetCode: string;
  build(reply: string): BuildResult;
}

/** A plan that cleans the reply into a region of the document (body, definition or lines). */
export function regionPlan(doc: SyntaxDocument, region: Region, targetCode: string, extra: Partial<RegionCheck> = {}): Plan {
  // NOTE: the store updates documents in place, so the plan keeps its own snapshot: offsets
  // computed for one version must never be applied to another one's text.
  const { uri, version, text: base, language } = doc;
  return {
    uri,
    version,
    targetCode,
    build(reply) {
      const cleaned = cleanCode(reply, region.slot);
      if (!cleaned.ok) return cleaned;
      const newText = region.prefix + cleaned.code + region.suffix;
      const edit = textEdit(base, region.start, region.end, newText);
      const text = base.slice(0, region.start) + newText + base.slice(region.end);
      const check: RegionCheck = { text, language, start: region.start, end: region.start + newText.length, ...extra };
      return { ok: true, changes: [{ kind: "edit", uri, version, edits: [edit], baseText: base }], checks: [check] };
    },
  };
}

/** The text of a definition from its first line, for showing the target to the model. */
export function definitionText(doc: SyntaxDocument, def: Definition): string {
  const start = doc.text.lastIndexOf("\n", def.span.startOffset - 1) + 1;
  return doc.text.slice(start, def.span.endOffset);
}
