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

/** The nesting of a file's definitions, computed once per parse (definitions arrays are per version). */
interface Nesting {
  parent: Map<Definition, Definition | undefined>;
  children: Map<Definition | undefined, Definition[]>;
}

const nestings = new WeakMap<readonly Definition[], Nesting>();

/** Parents and children of every definition, by one sweep over the definitions in source order. */
export function nestingOf(all: readonly Definition[]): Nesting {
  let n = nestings.get(all);
  if (n) return n;
  n = { parent: new Map(), children: new Map() };
  const sorted = [...all].sort((a, b) => a.span.startOffset - b.span.startOffset || b.span.endOffset - a.span.endOffset);
  const stack: Definition[] = [];
  for (const d of sorted) {
    while (stack.length && !isInside(d, stack[stack.length - 1]!)) stack.pop();
    const parent = stack[stack.length - 1];
    n.parent.set(d, parent);
    if (!n.children.has(parent)) n.children.set(parent, []);
    n.children.get(parent)!.push(d);
    stack.push(d);
  }
  nestings.set(all, n);
  return n;
}

/** The outermost definitions strictly inside `def` (its members), in source order. */
export function membersOf(def: Definition, all: readonly Definition[]): Definition[] {
  const n = nestingOf(all);
  if (n.parent.has(def)) return n.children.get(def) ?? [];
  // A definition that is not one of `all` (a target handed in from elsewhere): scan.
  const inside = all.filter((d) => isInside(d, def));
  return inside.filter((d) => !inside.some((o) => isInside(d, o)));
}

/** Containers (classes, interfaces, impls…) show their members; functions show their body. */
export function isContainerKind(def: Definition): boolean {
  return CONTAINER_KINDS.has(def.kind);
}

const CONTAINER_KINDS = new Set<string>(["class", "interface", "struct", "enum", "trait", "module", "type"]);

/**
 * Variables and constants: a method defined inside one (an object literal's `get(state, prop) {…}`)
 * is shown inside it, since the method alone is no statement.
 */
export function isValueKind(def: Definition): boolean {
  return def.kind === "variable" || def.kind === "constant";
}
