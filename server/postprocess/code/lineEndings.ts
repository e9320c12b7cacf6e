/** Gives code the document's line endings, whatever mix the model replied with. */

/** Converts every line break in `code` to `eol`. */
export function toLineEndings(code: string, eol: "\n" | "\r\n"): string {
  const lf = code.replace(/\r\n?/g, "\n");
  return eol === "\n" ? lf : lf.replace(/\n/g, "\r\n");
}
