/**
 * What a file's imports bind: each import resolved to workspace files (resolve.ts), then each
 * imported name to the definitions it names there, following re-exports a few levels.
 */
import type { Definition, ImportRef } from "../syntax/types.js";
import { filesOf, resolveImport, type ModuleResolution, type ResolvedImport } from "./resolve.js";
import { type FileView, type Session, fileView } from "./session.js";

export function groupByName(defs: readonly Definition[]): Map<string, Definition[]> {
  const m = new Map<string, Definition[]>();
  for (const d of defs) {
    if (!m.has(d.name)) m.set(d.name, []);
    m.get(d.name)!.push(d);
  }
  return m;
}

export function resolveImports(s: Session, file: FileView): ResolvedImport[] {
  const style = file.conventions?.moduleResolution as ModuleResolution | undefined;
  if (!style || !s.index) return [];
  const out: ResolvedImport[] = [];
  for (const imp of file.imports) {
    const r = resolveImport(style, imp, file.path, s.index);
    if (filesOf(r).length) out.push(r);
  }
  return out;
}

/** A local name an import brings in. */
export type Binding =
  | { kind: "defs"; name: string; defs: Array<{ view: FileView; def: Definition }> }
  | { kind: "module"; name: string; module: FileView };

/** The name an imported name is bound to in the importing file (`import { a as b }` binds `b`). */
export function localName(imp: ImportRef, imported: string): string {
  return imp.aliases?.[imported] ?? imported;
}

/** The name an import brings in under the local name `local`, if it binds that name. */
export function importedAs(imp: ImportRef, local: string): string | undefined {
  return imp.names.find((n) => localName(imp, n) === local);
}

/** The names the current file's imports bind, resolved to definitions or modules. */
export function importBindings(s: Session, resolved: ResolvedImport[]): Binding[] {
  const out: Binding[] = [];
  for (const r of resolved) {
    // Python's `from pkg import sub` binds the module sub (resolve.ts).
    for (const [name, f] of Object.entries(r.submodules ?? {})) {
      const view = fileView(s, f);
      if (view) out.push({ kind: "module", name: localName(r.import, name), module: view });
    }
    for (const f of r.files) {
      const view = fileView(s, f);
      if (!view) continue;
      for (const name of r.names) {
        const defs = exportedDefs(s, view, name);
        // A name that is no definition of the module binds the module itself (a namespace or
        // default import).
        if (defs.length) out.push({ kind: "defs", name: localName(r.import, name), defs });
        else out.push({ kind: "module", name: localName(r.import, name), module: view });
      }
      if (r.alias) out.push({ kind: "module", name: r.alias, module: view });
    }
  }
  return out;
}

const exportMemo = new WeakMap<Definition[], Map<string, Exporters>>();

export const resolvedMemo = new WeakMap<Definition[], ResolvedImport[]>();

/** How deep re-exports are followed (a barrel of barrels is common, deeper chains are not). */
const REEXPORT_DEPTH = 3;

/**
 * Top-level definitions named `name` that a module provides: its own, or those it re-exports
 * (`export * from "./x"`, `export { name } from "./x"`, `export { other as name } from "./x"`),
 * followed a few levels deep.
 */
export function exportedDefs(s: Session, view: FileView, name: string): Array<{ view: FileView; def: Definition }> {
  const out: Array<{ view: FileView; def: Definition }> = [];
  const found = exportingFiles(s, view, name, 0);
  for (const p of found.files) {
    const v = p === view.path ? view : fileView(s, p);
    if (v) for (const def of v.definitions) if (def.depth === 0 && def.name === found.name) out.push({ view: v, def });
  }
  return out;
}

/** The files that define what a module exports as some name, and the name they define it under. */
interface Exporters {
  files: string[];
  name: string;
}

function exportingFiles(s: Session, view: FileView, name: string, depth: number): Exporters {
  let memo = exportMemo.get(view.definitions);
  if (!memo) exportMemo.set(view.definitions, (memo = new Map()));
  const hit = memo.get(name);
  if (hit) return hit;
  let out: Exporters = { files: [], name };
  if (view.definitions.some((d) => d.depth === 0 && d.name === name)) out = { files: [view.path], name };
  else if (depth < REEXPORT_DEPTH && s.index && view.path) {
    let resolved = resolvedMemo.get(view.definitions);
    if (!resolved) resolvedMemo.set(view.definitions, (resolved = resolveImports(s, view)));
    for (const r of resolved) {
      // Only statements that name it (under its own name or as an alias: `export { DRAFTABLE as
      // immerable }`), or bring in everything (`export *`); a module bound to an alias (`import
      // os`) re-exports nothing.
      const there = r.import.names.length ? importedAs(r.import, name) : r.alias === undefined ? name : undefined;
      if (there === undefined) continue;
      for (const f of r.files) {
        const v = f === view.path ? undefined : fileView(s, f);
        if (!v) continue;
        const found = exportingFiles(s, v, there, depth + 1);
        if (found.files.length) {
          out = found;
          break;
        }
      }
      if (out.files.length) break;
    }
  }
  memo.set(name, out);
  return out;
}
