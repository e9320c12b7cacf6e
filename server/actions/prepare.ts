/**
 * Turns an offer into a plan against the document as it is now, plus what the prompt and the
 * context engine need. Called once before asking the model and again, with the same reply, when
 * the user edited meanwhile: the target is found afresh by name and signature, never by offset.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ContextTarget } from "../context/types.js";
import type { ActionPromptInput } from "../prompts/actions.js";
import type { Settings } from "../settings/types.js";
import { conventionsFor } from "../syntax/index.js";
import type { Definition, DocumentStore, Stub, SyntaxDocument } from "../syntax/types.js";
import { docPlan } from "./docPlan.js";
import { findTarget } from "./locate.js";
import { definitionText, regionPlan, type Plan } from "./plans.js";
import { bodyRegion, definitionRegion, linesRegion } from "./slots.js";
import { diskAccess, isInside, placeTests, resolvedPath, type FileAccess, type TestPlacement } from "./testPlacement.js";
import { testModuleIn, testsPlan, type TestFileState } from "./testsPlan.js";
import type { ActionOffer } from "./types.js";

/** What preparing needs from the server. */
export interface PrepareDeps {
  documents: DocumentStore;
  settings: Settings;
  workspaceFolders: string[];
  canCreateFiles: boolean;
  files?: FileAccess;
}

export interface Prepared {
  plan: Plan;
  contextTarget: ContextTarget;
  /** The prompt input without context (the context engine fills that in). */
  input: Omit<ActionPromptInput, "context">;
  /** The model to use (a custom action may name its own). */
  model: string;
  placement?: TestPlacement;
  /** Documents whose version the plan depends on, for the check before applying. */
  versions: Array<{ uri: string; version: number }>;
}

/** The file path of a document, or undefined for untitled buffers. */
export function filePathOf(uri: string): string | undefined {
  try {
    return uri.startsWith("file:") ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** The workspace folder holding a path: the deepest one. */
export function folderOf(folders: string[], p: string): string | undefined {
  return folders.filter((f) => isInside(f, p)).sort((a, b) => b.length - a.length)[0];
}

function relativePath(folders: string[], uri: string): string {
  const p = filePathOf(uri);
  if (!p) return uri;
  const root = folderOf(folders, p);
  return root ? path.relative(root, p).split(path.sep).join("/") : path.basename(p);
}

/** Prepares an offer against the current documents, or says why it cannot run (target gone, changed…). */
export function prepare(offer: ActionOffer, doc: SyntaxDocument, deps: PrepareDeps): Prepared | { error: string } {
  const settings = deps.settings;
  const what = offer.target ? `\`${offer.target.name}\`` : "the code";
  const changed = `${what} changed or disappeared; nothing was applied`;
  const base = {
    kind: offer.kind,
    languageName: doc.language ?? (doc.languageId || "plain text"),
    fence: doc.language ?? doc.languageId,
    filePath: relativePath(deps.workspaceFolders, doc.uri),
  } as const;
  const versions = [{ uri: doc.uri, version: doc.version }];
  let def: Definition | undefined;
  if (offer.target) {
    // For stub slots only a stub matches (findTarget then returns a Stub): a function the user
    // implemented meanwhile is not generated over.
    def = findTarget(doc, offer.target, offer.kind === "generate" || offer.custom?.slot === "stub");
    if (!def) return { error: changed };
  }
  const name = def?.name;
  switch (offer.kind) {
    case "generate": {
      const region = bodyRegion(doc, def!);
      if (!region) return { error: changed };
      const plan = regionPlan(doc, region, definitionText(doc, def!), { notStub: { name: def!.name, offset: def!.span.startOffset } });
      return { plan, versions, model: settings.actions.model, contextTarget: { kind: "stub", stub: def as Stub }, input: { ...base, name, code: plan.targetCode } };
    }
    case "document": {
      const plan = docPlan(doc, def!);
      return { plan, versions, model: settings.actions.model, contextTarget: { kind: "function", definition: def!, purpose: "document" }, input: { ...base, name, code: plan.targetCode } };
    }
    case "fix": {
      const d = offer.diagnostic!;
      const line = doc.text.slice(doc.text.lastIndexOf("\n", d.startOffset - 1) + 1).split(/\r?\n/)[0]!;
      if (!def && doc.version !== offer.version) return { error: "the document changed since the diagnostic was reported; nothing was applied" };
      const region = def ? definitionRegion(doc, def) : linesRegion(doc, d.startOffset, d.endOffset);
      const code = def ? definitionText(doc, def) : doc.text.slice(region.start, region.end);
      const plan = regionPlan(doc, region, code, def ? { keepsDefinition: def.name } : {});
      const contextTarget: ContextTarget = def ? { kind: "function", definition: def, purpose: "fix" } : { kind: "selection", startOffset: region.start, endOffset: region.end };
      const diagnostic = { message: d.message, line, ...(d.source ? { source: d.source } : {}) };
      return { plan, versions, model: settings.actions.model, contextTarget, input: { ...base, name, code, diagnostic } };
    }
    case "tests": {
      const opened = filePathOf(doc.uri);
      const conv = conventionsFor(doc.language);
      if (!opened || !conv) return { error: "tests can only be added for a saved file in a known language" };
      // Symbolic links resolved on both sides: a link can neither carry a test file out of the
      // workspace nor make a folder given through a link look foreign.
      const source = resolvedPath(opened) ?? opened;
      const root = folderOf(deps.workspaceFolders.map((f) => resolvedPath(f) ?? f), source);
      // Outside every workspace folder only in-file tests are allowed: never write outside the workspace.
      const placement = placeTests(source, conv, root ?? path.dirname(source), deps.files ?? diskAccess);
      if ("error" in placement) return { error: placement.error };
      if (!root && !placement.sameFile) return { error: `${path.basename(source)} is not inside a workspace folder, so no test file is written; nothing was applied` };
      if (!placement.sameFile) {
        const real = resolvedPath(placement.path);
        if (!real || !isInside(root!, real)) return { error: `${placement.relPath} leads outside the workspace (a symbolic link), so no test file is written; nothing was applied` };
      }
      let testFile: TestFileState | undefined;
      if (!placement.sameFile && placement.exists) {
        const uri = pathToFileURL(placement.path).href;
        const samePath = (d: SyntaxDocument) => {
          const p = filePathOf(d.uri);
          return p !== undefined && (resolvedPath(p) ?? p) === placement.path;
        };
        const open = deps.documents.get(uri) ?? deps.documents.all().find(samePath);
        if (open) {
          testFile = { uri: open.uri, text: open.text, version: open.version };
          versions.push({ uri: open.uri, version: open.version });
        } else {
          const text = (deps.files ?? diskAccess).read(placement.path);
          if (text === undefined) return { error: `cannot read ${placement.relPath}; nothing was applied` };
          testFile = { uri, text, version: null };
        }
      }
      const plan = testsPlan(doc, def!, placement, testFile, deps.canCreateFiles);
      const tests = {
        path: placement.relPath,
        exists: placement.exists,
        sameFile: placement.sameFile,
        sourcePath: placement.sourceRelPath,
        ...(placement.framework ? { framework: placement.framework } : {}),
        ...(placement.sameFile && testModuleIn(doc) ? { intoBlock: testModuleIn(doc)!.name } : {}),
        ...(testFile ? { existingHead: testFile.text.slice(0, 1500) } : {}),
      };
      return { plan, versions, placement, model: settings.actions.model, contextTarget: { kind: "function", definition: def!, purpose: "tests" }, input: { ...base, name, code: plan.targetCode, tests } };
    }
    case "custom": {
      const c = offer.custom!;
      const custom = settings.actions.custom[c.index];
      if (!custom || custom.title !== c.title) return { error: `the custom action "${c.title}" is no longer configured` };
      const model = custom.model ?? settings.actions.model;
      if (c.slot === "selection") {
        if (doc.version !== offer.version) return { error: "the document changed since the selection was made; nothing was applied" };
        const sel = offer.selection!;
        const region = linesRegion(doc, sel.startOffset, sel.endOffset);
        const code = doc.text.slice(region.start, region.end);
        const plan = regionPlan(doc, region, code);
        return { plan, versions, model, contextTarget: { kind: "selection", startOffset: sel.startOffset, endOffset: sel.endOffset }, input: { ...base, code, custom: { template: custom.prompt, selection: doc.text.slice(sel.startOffset, sel.endOffset), slot: "selection" } } };
      }
      const region = c.slot === "stub" ? bodyRegion(doc, def!) : definitionRegion(doc, def!);
      if (!region) return { error: changed };
      const code = definitionText(doc, def!);
      const plan = regionPlan(doc, region, code, { keepsDefinition: def!.name });
      const contextTarget: ContextTarget = c.slot === "stub" ? { kind: "stub", stub: def as Stub } : { kind: "function", definition: def!, purpose: "explain" };
      return { plan, versions, model, contextTarget, input: { ...base, name, code, custom: { template: custom.prompt, selection: code, slot: c.slot } } };
    }
  }
}
