/**
 * Takes the code out of a Markdown reply. Models wrap code in fences (often several: the code, an
 * example call, shell output); the prose around the fences is dropped, never kept as comments.
 */

interface Fence {
  tag: string;
  body: string;
  index: number;
}

const fenceOpen = /^[ \t]*(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n]*$/;

/** Splits a reply into its fenced blocks; an unterminated last fence (a cut stream) runs to the end. */
export function findFences(reply: string): Fence[] {
  const lines = reply.split(/\r?\n/);
  const fences: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = fenceOpen.exec(lines[i]!);
    if (!open) continue;
    const marker = open[1]!;
    const tag = (open[2] ?? "").toLowerCase().replace(/^\{?\.?/, "").replace(/\}$/, "");
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      const trimmed = line.trim();
      if (trimmed.startsWith(marker[0]!.repeat(marker.length)) && trimmed.replace(/[`~]/g, "") === "") break;
      body.push(line);
    }
    fences.push({ tag, body: body.join("\n"), index: fences.length });
    i = j;
  }
  return fences;
}

/** Fence tags that hold a transcript or output rather than code to insert. */
const nonCodeTags = new Set(["text", "txt", "output", "console", "shell-session", "log", "plaintext", "diff"]);

/**
 * Returns the code of the fence that best fits the slot, or undefined when the reply has no fence.
 * A fence tagged with the slot's language wins over an untagged one, which wins over one tagged
 * with another language; among equals, the one naming the target function, then the longest.
 */
export function extractFence(reply: string, fenceTags: string[], name?: string): string | undefined {
  const fences = findFences(reply).filter((f) => f.body.trim() !== "");
  if (fences.length === 0) return undefined;
  const tags = new Set(fenceTags.map((t) => t.toLowerCase()));
  const score = (f: Fence): number => {
    let s = 0;
    if (tags.has(f.tag)) s += 100;
    else if (f.tag === "") s += 50;
    else if (nonCodeTags.has(f.tag)) s -= 100;
    if (name && f.body.includes(name)) s += 10;
    return s;
  };
  let best = fences[0]!;
  for (const f of fences.slice(1)) {
    const d = score(f) - score(best);
    if (d > 0 || (d === 0 && f.body.length > best.body.length)) best = f;
  }
  return best.body;
}
