/**
 * Drops the prose a model writes around unfenced code ("Here is the implementation:", "This
 * function first …"). Only whole leading and trailing lines are dropped: prose is never turned into
 * comments, and nothing in the middle of the code is touched.
 */

/** Words models open their sentences with; a line starting with one of them and reading like a sentence is prose. */
const proseOpeners =
  /^(here's|here|this|the|sure|certainly|below|above|i|i'm|i've|i'll|note|explanation|okay|of course|you|we|that|that's|these|in this|let me|assuming)\b/i;

/** True when a line reads like an English sentence rather than code. */
export function looksLikeProse(line: string): boolean {
  const t = line.trim();
  if (t === "") return false;
  if (!proseOpeners.test(t)) return false;
  // Code ends in brackets, semicolons, operators or words; sentences end in punctuation or a colon.
  if (!/[.:!?][`'")]*$/.test(t)) return false;
  const words = t.split(/\s+/);
  if (words.length < 2) return false;
  // Sentences are mostly plain words; code is mostly symbols.
  const plain = words.filter((w) => /^[`'"(]*[A-Za-z][A-Za-z'’-]*[`'")]*[.,:;!?]?$/.test(w)).length;
  return plain / words.length >= 0.6;
}

/** Removes leading and trailing prose lines (and the blank lines next to them). */
export function dropProse(code: string): string {
  const lines = code.split("\n");
  let start = 0;
  let end = lines.length;
  const blank = (l: string) => l.trim() === "";
  for (;;) {
    while (start < end && blank(lines[start]!)) start++;
    if (start < end && looksLikeProse(lines[start]!)) start++;
    else break;
  }
  for (;;) {
    while (end > start && blank(lines[end - 1]!)) end--;
    if (end > start && looksLikeProse(lines[end - 1]!)) end--;
    else break;
  }
  return lines.slice(start, end).join("\n");
}
