/**
 * The plain-data contract of the completion filters: each filter takes the suggestion and what
 * surrounds the cursor, and returns the cleaned suggestion ("" drops it).
 */

export interface CompletionFilterContext {
  /** Document text before the cursor (the whole prefix, or a window ending at the cursor). */
  prefix: string;
  /** Document text after the cursor. */
  suffix: string;
  /** A block is wanted (empty body) rather than the rest of one line (mid-expression). */
  multiline: boolean;
  /** The grammar id ("typescript", "python", …) for the syntax check, when the language is known. */
  language?: string;
  /** The reply came from a chat model, which writes code from column 0 and may echo the line. */
  chat?: boolean;
}

/** One filter: the suggestion in, the cleaned suggestion out ("" means drop it). */
export type CompletionFilter = (text: string, ctx: CompletionFilterContext) => string;
