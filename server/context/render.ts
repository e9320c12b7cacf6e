/**
 * Small structural helpers over the definitions of one file: nesting, members, and which
 * definitions are containers. Rendering itself is in group.ts.
 */
import type { Definition } from "../syntax/types.js";

/** A source range a chunk shows. */
export interface ShownRange {
  startOffset: number;
  endOffset: number;
}

/** Whether `inner` lies inside `outer` (by span), and is not the same definition. */
export function isInside(inner: Definition, outer: Definition): boolean {
  return (
    inner !== outer &&
    inner.span.startOffset >= outer.span.startOffset &&
    inner.span.endOffset <= outer.span.endOffset &&
    !(inner.span.startOffset === outer.span.startOffset && inner.span.endOffset === outer.span.endOffset)
  );
}

/** The outermost definitions strictly inside `def` (its members), in source order. */
export function membersOf(def: Definition, all: readonly Definition[]): Definition[] {
  const inside = all.filter((d) => isInside(d, def));
  return inside.filter((d) => !inside.some((o) => isInside(d, o)));
}

/** Containers (classes, interfaces, impls…) show their members; functions show their body. */
export function isContainerKind(def: Definition): boolean {
  return CONTAINER_KINDS.has(def.kind);
}

const CONTAINER_KINDS = new Set<string>(["class", "interface", "struct", "enum", "trait", "module", "type"]);
