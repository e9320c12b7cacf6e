/**
 * Which actions apply at a range. Cheap and model-free: it reads the syntax layer's stubs and
 * definitions and the diagnostics the editor sent, so `textDocument/codeAction` answers at once.
 */
import { definitions, stubs } from "../syntax/index.js";
import type { CustomActionSettings } from "../settings/types.js";
import type { Definition, SyntaxDocument } from "../syntax/types.js";
import { targetRef } from "./locate.js";
import type { ActionOffer } from "./types.js";

/** A diagnostic as the actions service needs it (offsets in the document). */
export interface DiagnosticInfo {
  message: string;
  source?: string;
  startOffset: number;
  endOffset: number;
}

const callable = new Set(["function", "method"]);

/** The innermost definition among `defs` that touches [start, end]. */
function innermost<T extends Definition>(defs: T[], start: number, end: number): T | undefined {
  return defs
    .filter((d) => d.span.startOffset <= end && d.span.endOffset >= start)
    .sort((a, b) => b.depth - a.depth || a.span.endOffset - a.span.startOffset - (b.span.endOffset - b.span.startOffset))[0];
}

/** First line of a diagnostic message, short enough for a menu. */
export function shortMessage(message: string): string {
  const first = message.split(/\r?\n/)[0]!.trim();
  return first.length > 80 ? first.slice(0, 77) + "…" : first;
}

let counter = 0;
/** A fresh id for one offer: unique in this server process. */
function nextId(): string {
  counter += 1;
  return `${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** The actions that apply at [startOffset, endOffset] of `doc`, in menu order. */
export function offersAt(
  doc: SyntaxDocument,
  startOffset: number,
  endOffset: number,
  diagnostics: DiagnosticInfo[],
  custom: CustomActionSettings[],
): ActionOffer[] {
  const offers: ActionOffer[] = [];
  const base = { uri: doc.uri, version: doc.version };
  const stub = innermost(stubs(doc), startOffset, endOffset);
  const fn = innermost(
    definitions(doc).filter((d) => callable.has(d.kind) && d.bodySpan),
    startOffset,
    endOffset,
  );
  if (stub) offers.push({ ...base, id: nextId(), kind: "generate", title: `Generate implementation of ${stub.name}`, target: targetRef(stub) });
  if (fn) {
    offers.push({ ...base, id: nextId(), kind: "tests", title: `Add tests for ${fn.name}`, target: targetRef(fn) });
    offers.push({ ...base, id: nextId(), kind: "document", title: `Document ${fn.name}`, target: targetRef(fn) });
  }
  for (const d of diagnostics.slice(0, 5)) {
    const around = innermost(definitions(doc).filter((x) => callable.has(x.kind)), d.startOffset, d.endOffset);
    const offer: ActionOffer = {
      ...base,
      id: nextId(),
      kind: "fix",
      title: `Fix: ${shortMessage(d.message)}`,
      diagnostic: { message: d.message, startOffset: d.startOffset, endOffset: d.endOffset, ...(d.source ? { source: d.source } : {}) },
    };
    if (around) offer.target = targetRef(around);
    offers.push(offer);
  }
  custom.forEach((c, index) => {
    // The schema's default, in case the settings reached us without it.
    for (const slot of c.targets ?? ["function", "selection"]) {
      const def = slot === "stub" ? stub : slot === "function" ? fn : undefined;
      if (slot === "selection" ? endOffset > startOffset : def) {
        const offer: ActionOffer = { ...base, id: nextId(), kind: "custom", title: c.title, custom: { index, title: c.title, slot } };
        if (def) offer.target = targetRef(def);
        if (slot === "selection") offer.selection = { startOffset, endOffset };
        offers.push(offer);
        break;
      }
    }
  });
  return offers;
}
