import type { FimTemplateName } from "../settings/types.js";

/**
 * Fill-in-the-middle templates per model family, as data. Each family was trained with its own
 * special tokens and its own way of showing other files; getting either wrong makes a code model
 * chat instead of completing, so the tokens are spelled exactly as the model cards give them.
 */

/** The families that have a template; "auto" in the settings resolves to one of these. */
export type FimFamily = Exclude<FimTemplateName, "auto">;

/** One other file (or a slice of one) shown to the model before the current file. */
export interface FimContextFile {
  path: string;
  text: string;
}

/** What a template needs to lay out a prompt. */
export interface FimLayoutInput {
  prefix: string;
  suffix: string;
  /** Path of the current file, relative to the workspace. */
  path: string;
  /** Other files, most relevant first. */
  files: FimContextFile[];
  /** The current language's line comment ("//", "#"), for families that take context as comments. */
  lineComment: string;
  /** A repository name for families trained with one. */
  repoName: string;
}

export interface FimTemplate {
  family: FimFamily;
  /** Builds the raw prompt for `/v1/completions` without `suffix`. */
  render(input: FimLayoutInput): string;
  /** Sequences that end the middle: the family's end and FIM tokens. */
  stop: string[];
  /**
   * True when the family was trained with file-separator tokens, so context files go in as
   * separate files; otherwise they go in as comment-headed blocks at the top of the prefix.
   */
  fileSeparators: boolean;
}

/**
 * Other files as comment-headed blocks, the layout that works for every family (and for servers
 * that apply the FIM template themselves, like Ollama's `suffix`): "// Path: a/b.ts" then the text.
 */
export function commentHeaderedPrefix(input: Pick<FimLayoutInput, "files" | "lineComment" | "path" | "prefix">): string {
  if (input.files.length === 0) return input.prefix;
  const c = input.lineComment || "//";
  const blocks = input.files.map((f) => `${c} Path: ${f.path}\n${withNewline(f.text)}`);
  return `${blocks.join("\n")}\n${c} Path: ${input.path}\n${input.prefix}`;
}

function withNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

// Qwen2.5-Coder: repository-level FIM with <|repo_name|> and <|file_sep|> (Qwen2.5-Coder model card).
const qwen: FimTemplate = {
  family: "qwen",
  fileSeparators: true,
  stop: ["<|endoftext|>", "<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|fim_pad|>", "<|file_sep|>", "<|repo_name|>", "<|im_end|>"],
  render(i) {
    const fim = `<|fim_prefix|>${i.prefix}<|fim_suffix|>${i.suffix}<|fim_middle|>`;
    if (i.files.length === 0) return fim;
    const files = i.files.map((f) => `<|file_sep|>${f.path}\n${withNewline(f.text)}`).join("");
    return `<|repo_name|>${i.repoName}\n${files}<|file_sep|>${i.path}\n${fim}`;
  },
};

// DeepSeek-Coder: full-width bars and U+2581 in its FIM tokens; no file separators, so comment headers.
const deepseek: FimTemplate = {
  family: "deepseek",
  fileSeparators: false,
  stop: ["<｜end▁of▁sentence｜>", "<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>", "<|EOT|>"],
  render(i) {
    return `<｜fim▁begin｜>${commentHeaderedPrefix(i)}<｜fim▁hole｜>${i.suffix}<｜fim▁end｜>`;
  },
};

// StarCoder2: <repo_name>/<file_sep>, and the current file's path goes inside <fim_prefix>.
const starcoder: FimTemplate = {
  family: "starcoder",
  fileSeparators: true,
  stop: ["<|endoftext|>", "<fim_prefix>", "<fim_suffix>", "<fim_middle>", "<file_sep>", "<repo_name>"],
  render(i) {
    if (i.files.length === 0) return `<fim_prefix>${i.prefix}<fim_suffix>${i.suffix}<fim_middle>`;
    const files = i.files.map((f) => `<file_sep>${f.path}\n${withNewline(f.text)}`).join("");
    return `<repo_name>${i.repoName}${files}<file_sep><fim_prefix>${i.path}\n${i.prefix}<fim_suffix>${i.suffix}<fim_middle>`;
  },
};

// CodeLlama: "<PRE> {prefix} <SUF>{suffix} <MID>" with exactly these spaces (the Llama reference code).
const codellama: FimTemplate = {
  family: "codellama",
  fileSeparators: false,
  stop: ["<EOT>", "</s>", "<PRE>", "<SUF>", "<MID>"],
  render(i) {
    return `<PRE> ${commentHeaderedPrefix(i)} <SUF>${i.suffix} <MID>`;
  },
};

// Codestral: the suffix comes first ([SUFFIX] … [PREFIX] …), per Mistral's FIM format.
const codestral: FimTemplate = {
  family: "codestral",
  fileSeparators: false,
  stop: ["</s>", "[PREFIX]", "[SUFFIX]", "[MIDDLE]"],
  render(i) {
    return `[SUFFIX]${i.suffix}[PREFIX]${commentHeaderedPrefix(i)}`;
  },
};

const templates: Record<FimFamily, FimTemplate> = { qwen, deepseek, starcoder, codellama, codestral };

/**
 * Every family's special tokens, for cutting a reply where a server let one through. "</s>" is left
 * out: it is also an ordinary HTML tag.
 */
export const FIM_SPECIAL_TOKENS: readonly string[] = [...new Set(Object.values(templates).flatMap((t) => t.stop))].filter((t) => t !== "</s>");

/** Model-name patterns, checked in order; the first match names the family. */
const familyPatterns: Array<[RegExp, FimFamily]> = [
  [/qwen/i, "qwen"],
  [/deepseek/i, "deepseek"],
  [/starcoder/i, "starcoder"],
  [/code-?llama/i, "codellama"],
  [/codestral|mistral|devstral/i, "codestral"],
];

/** The family for a model name; Qwen2.5-Coder's layout when the name says nothing (the presets' default model). */
export function fimFamilyFor(model: string, setting: FimTemplateName = "auto"): FimFamily {
  if (setting !== "auto" && setting in templates) return setting;
  for (const [re, family] of familyPatterns) if (re.test(model)) return family;
  return "qwen";
}

/** The FIM template for a model name or an explicit setting. */
export function fimTemplateFor(model: string, setting: FimTemplateName = "auto"): FimTemplate {
  return templates[fimFamilyFor(model, setting)];
}
