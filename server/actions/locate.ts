/**
 * Finds an action's target function again in the document as it is now: by name and signature,
 * the nearest to where it was. This is what lets an edit computed for an older version land on the
 * right function after the user typed elsewhere, and refuse when the function is gone.
 */
import { definitions, stubs } from "../syntax/index.js";
import type { Definition, SyntaxDocument } from "../syntax/types.js";
import { normalizeSpace } from "./text.js";
import type { TargetRef } from "./types.js";

/** Records what identifies a definition. */
export function targetRef(def: Definition): TargetRef {
  const ref: TargetRef = { name: def.name, signature: normalizeSpace(def.signature), startOffset: def.span.startOffset };
  if (def.container) ref.container = def.container;
  return ref;
}

/** The definition (or, with `stubsOnly`, the stub) matching `ref` in `doc`, or undefined when it is gone. */
export function findTarget(doc: SyntaxDocument, ref: TargetRef, stubsOnly = false): Definition | undefined {
  const all: Definition[] = stubsOnly ? stubs(doc) : definitions(doc);
  const same = all.filter((d) => d.name === ref.name && normalizeSpace(d.signature) === ref.signature && d.container === ref.container);
  same.sort((a, b) => Math.abs(a.span.startOffset - ref.startOffset) - Math.abs(b.span.startOffset - ref.startOffset));
  return same[0];
}
