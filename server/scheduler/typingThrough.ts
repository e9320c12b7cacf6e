/**
 * Typing-through: when the user types the first characters of the suggestion just shown, the
 * rest of that suggestion is still right, so it is served again without asking the model.
 */

/** The suggestion last shown in one document, with the cursor context it was made for. */
export interface ShownSuggestion {
  prefix: string;
  suffix: string;
  text: string;
}

/** What the user typed since a suggestion was shown, if the document changed only by typing at the cursor. */
export function typedSince(shown: Pick<ShownSuggestion, "prefix" | "suffix">, prefix: string, suffix: string): string | undefined {
  if (prefix.length < shown.prefix.length) return undefined;
  if (suffix !== shown.suffix) return undefined;
  // Compare the tails first: they differ most often, and they are cheap to check.
  const tail = Math.min(256, shown.prefix.length);
  if (prefix.slice(shown.prefix.length - tail, shown.prefix.length) !== shown.prefix.slice(shown.prefix.length - tail)) return undefined;
  if (!prefix.startsWith(shown.prefix)) return undefined;
  return prefix.slice(shown.prefix.length);
}

/**
 * The rest of the shown suggestion after the user typed its beginning, or undefined when the
 * typing left the suggestion (or used it up).
 */
export function typeThrough(shown: ShownSuggestion, prefix: string, suffix: string): string | undefined {
  const typed = typedSince(shown, prefix, suffix);
  // NOTE: an empty `typed` (a repeated request at the same place) serves the whole suggestion again.
  if (typed === undefined) return undefined;
  if (!shown.text.startsWith(typed)) return undefined;
  const rest = shown.text.slice(typed.length);
  return rest.trim().length > 0 ? rest : undefined;
}

/** The suggestion last shown per document, one per document so memory stays bounded by open documents. */
export class ShownSuggestions {
  private readonly shown = new Map<string, ShownSuggestion>();

  /** Records what was just shown in a document. */
  remember(uri: string, s: ShownSuggestion): void {
    this.shown.set(uri, s);
  }

  /** The rest of the shown suggestion if the user typed through its start; records the rest as shown. */
  serve(uri: string, prefix: string, suffix: string): string | undefined {
    const s = this.shown.get(uri);
    if (!s) return undefined;
    const rest = typeThrough(s, prefix, suffix);
    if (rest === undefined) return undefined;
    this.shown.set(uri, { prefix, suffix, text: rest });
    return rest;
  }

  forget(uri: string): void {
    this.shown.delete(uri);
  }
}
