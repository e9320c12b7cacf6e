/**
 * Import resolution: from an import as written to the workspace files it names.
 *
 * Each language's conventions.json names its resolution style (`"moduleResolution"`); the styles
 * themselves are the small tables and walks below, keyed by that name, so no code here asks which
 * language it is looking at. Every candidate path goes through the workspace index, so nothing
 * ignored, excluded or outside the workspace is ever read.
 */
import * as path from "node:path";
import type { ImportRef } from "../syntax/types.js";
import type { WorkspaceIndex } from "./workspace.js";

/** The resolution styles the engine knows. */
export type ModuleResolution = "node" | "python" | "go" | "rust" | "include" | "java";

/** Files an import names, and which of their definitions it brings in. */
export interface ResolvedImport {
  /** The import as written. */
  import: ImportRef;
  /** Workspace files whose definitions it brings in (a Go package is several). Sorted. */
  files: string[];
  /** Names imported from them; empty with `alias` for the whole module (`import os`, `import * as x`). */
  names: string[];
  /** The local name the module is bound to, for `mod.name` references (`import os.path as p` → "p"). */
  alias?: string;
  /**
   * Names that bind a whole module of their own, not a definition (Python's `from distutils import
   * log`): name → file. Neither in `names` nor in `files`.
   */
  submodules?: Record<string, string>;
}

/** Every workspace file an import reaches: its files and its submodules'. */
export function filesOf(r: ResolvedImport): string[] {
  return r.submodules ? [...r.files, ...Object.values(r.submodules)] : r.files;
}

/** TypeScript and JavaScript source extensions, in the order the TypeScript compiler tries them. */
const NODE_EXTENSIONS = [".ts", ".tsx", ".d.ts", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
/** Output extensions written in ESM imports that point at TypeScript sources. */
const NODE_OUTPUT_TO_SOURCE: Record<string, string[]> = {
  ".js": [".ts", ".tsx", ".d.ts"],
  ".jsx": [".tsx"],
  ".mjs": [".mts", ".d.mts"],
  ".cjs": [".cts", ".d.cts"],
};

/** Resolves one import of `fromFile` to workspace files; an empty `files` when it is external. */
export function resolveImport(style: ModuleResolution, imp: ImportRef, fromFile: string, index: WorkspaceIndex): ResolvedImport {
  const names = [...imp.names];
  let files: string[] = [];
  let alias: string | undefined;
  let submodules: Record<string, string> | undefined;
  switch (style) {
    case "node":
      files = resolveNode(imp.module, fromFile, index);
      break;
    case "python": {
      const r = resolvePython(imp, fromFile, index);
      files = r.files;
      names.splice(0, names.length, ...r.names);
      alias = r.alias;
      submodules = r.submodules;
      break;
    }
    case "go":
      files = resolveGo(imp.module, fromFile, index);
      alias = imp.module.split("/").pop();
      break;
    case "rust": {
      const r = resolveRust(imp.module, fromFile, index);
      files = r.files;
      for (const n of r.rest) if (!names.includes(n)) names.push(n);
      break;
    }
    case "include":
      files = firstExisting([path.resolve(path.dirname(fromFile), imp.module)], index);
      break;
    case "java":
      files = resolveJava(imp.module, fromFile, index, names);
      break;
  }
  return { import: imp, files: [...new Set(files)].sort(), names, alias, ...(submodules ? { submodules } : {}) };
}

/**
 * Files whose definitions a file sees without importing them: the other files of a Go package.
 * Empty for styles without such a rule.
 */
export function implicitNeighbours(style: ModuleResolution, fromFile: string, index: WorkspaceIndex): string[] {
  if (style !== "go") return [];
  const dir = path.dirname(fromFile);
  const isTest = fromFile.endsWith("_test.go");
  return index
    .listDir(dir)
    .filter((n) => n.endsWith(".go") && (isTest || !n.endsWith("_test.go")))
    .map((n) => path.join(dir, n))
    .filter((p) => p !== fromFile);
}

function firstExisting(candidates: string[], index: WorkspaceIndex): string[] {
  for (const c of candidates) if (index.exists(c)) return [c];
  return [];
}

// ---- node -------------------------------------------------------------------------------------

function nodeCandidates(base: string): string[] {
  const out: string[] = [];
  const ext = path.extname(base);
  for (const src of NODE_OUTPUT_TO_SOURCE[ext] ?? []) out.push(base.slice(0, -ext.length) + src);
  out.push(base);
  for (const e of NODE_EXTENSIONS) out.push(base + e);
  for (const e of NODE_EXTENSIONS) out.push(path.join(base, "index" + e));
  return out;
}

function resolveNode(spec: string, fromFile: string, index: WorkspaceIndex): string[] {
  if (spec.startsWith(".")) return firstExisting(nodeCandidates(path.resolve(path.dirname(fromFile), spec)), index);
  if (spec.startsWith("/")) return [];
  const config = tsconfigFor(path.dirname(fromFile), index);
  if (!config) return [];
  // tsconfig "paths": the longest matching pattern wins, as in the compiler.
  const patterns = Object.keys(config.paths).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  for (const pattern of patterns) {
    const star = pattern.indexOf("*");
    let captured: string | undefined;
    if (star < 0) captured = pattern === spec ? "" : undefined;
    else {
      const pre = pattern.slice(0, star);
      const post = pattern.slice(star + 1);
      if (spec.startsWith(pre) && spec.endsWith(post) && spec.length >= pre.length + post.length) {
        captured = spec.slice(pre.length, spec.length - post.length);
      }
    }
    if (captured === undefined) continue;
    for (const target of config.paths[pattern]!) {
      const found = firstExisting(nodeCandidates(path.resolve(config.baseDir, target.replace("*", captured))), index);
      if (found.length) return found;
    }
  }
  if (config.baseUrl) return firstExisting(nodeCandidates(path.resolve(config.baseUrl, spec)), index);
  return [];
}

interface TsconfigPaths {
  baseDir: string;
  baseUrl?: string;
  paths: Record<string, string[]>;
}

const tsconfigCache = new WeakMap<WorkspaceIndex, Map<string, TsconfigPaths | undefined>>();

/** The `paths`/`baseUrl` of the nearest tsconfig.json or jsconfig.json above `dir` (no `extends`). */
function tsconfigFor(dir: string, index: WorkspaceIndex): TsconfigPaths | undefined {
  let cache = tsconfigCache.get(index);
  if (!cache) tsconfigCache.set(index, (cache = new Map()));
  for (let d = dir; index.folderOf(d) !== undefined; d = path.dirname(d)) {
    for (const name of ["tsconfig.json", "jsconfig.json"]) {
      const file = path.join(d, name);
      // `derive` keys the parse on the file's version, so an edited tsconfig is re-read.
      const parsed = index.derive(file, "tsconfig-paths", (text) => parseTsconfig(text, d));
      if (parsed !== undefined) return parsed ?? undefined;
    }
    if (path.dirname(d) === d) break;
  }
  return undefined;
}

function parseTsconfig(text: string, dir: string): TsconfigPaths | null {
  try {
    // tsconfig allows comments and trailing commas; strip them (strings with "//" are rare here).
    const json = text
      .replace(/("(?:[^"\\]|\\.)*")|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (_m, s: string | undefined) => s ?? "")
      .replace(/,(\s*[}\]])/g, "$1");
    const options = (JSON.parse(json) as { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } }).compilerOptions ?? {};
    const baseUrl = options.baseUrl !== undefined ? path.resolve(dir, options.baseUrl) : undefined;
    return { baseDir: baseUrl ?? dir, baseUrl, paths: options.paths ?? {} };
  } catch {
    return null;
  }
}

// ---- python -----------------------------------------------------------------------------------

function resolvePython(imp: ImportRef, fromFile: string, index: WorkspaceIndex): { files: string[]; names: string[]; alias?: string; submodules?: Record<string, string> } {
  const spec = imp.module.trim();
  const dots = spec.match(/^\.*/)![0].length;
  const dotted = spec.slice(dots);
  const parts = dotted ? dotted.split(".") : [];
  const bases: string[] = [];
  if (dots > 0) {
    let base = path.dirname(fromFile);
    for (let i = 1; i < dots; i++) base = path.dirname(base);
    bases.push(base);
  } else {
    bases.push(...pythonRoots(fromFile, index));
  }
  for (const base of bases) {
    const modDir = path.join(base, ...parts);
    const moduleFile = firstExisting(parts.length ? [modDir + ".py", path.join(modDir, "__init__.py")] : [path.join(modDir, "__init__.py")], index);
    // `from pkg import sub` may name submodules rather than definitions (distutils' `log` module,
    // which has a `log` function of its own): those bind the module.
    const names: string[] = [];
    const submodules: Record<string, string> = {};
    for (const name of imp.names) {
      const [sub] = firstExisting([path.join(modDir, name + ".py"), path.join(modDir, name, "__init__.py")], index);
      if (sub) submodules[name] = sub;
      else names.push(name);
    }
    const hasSubmodules = names.length < imp.names.length;
    if (moduleFile.length || hasSubmodules) {
      // `import a.b` binds `a`; `import a.b as c` binds the module a.b to `c`.
      const alias = imp.names.length === 0 ? (imp.moduleAlias ?? parts[0]) : undefined;
      return { files: moduleFile, names, alias, ...(hasSubmodules ? { submodules } : {}) };
    }
  }
  return { files: [], names: imp.names };
}

/** Where absolute Python imports start: the folder above the file's top package, the workspace folder and its src/. */
function pythonRoots(fromFile: string, index: WorkspaceIndex): string[] {
  const roots: string[] = [];
  let dir = path.dirname(fromFile);
  while (index.exists(path.join(dir, "__init__.py")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  roots.push(dir);
  const folder = index.folderOf(fromFile);
  if (folder) roots.push(folder, path.join(folder, "src"));
  return [...new Set(roots)];
}

// ---- go ---------------------------------------------------------------------------------------

function resolveGo(spec: string, fromFile: string, index: WorkspaceIndex): string[] {
  for (let d = path.dirname(fromFile); index.folderOf(d) !== undefined; d = path.dirname(d)) {
    const modulePath = index.derive(path.join(d, "go.mod"), "go-module", (text) => text.match(/^\s*module\s+(\S+)/m)?.[1] ?? "");
    if (modulePath !== undefined) {
      if (!modulePath || !(spec === modulePath || spec.startsWith(modulePath + "/"))) return [];
      const dir = path.join(d, spec.slice(modulePath.length));
      return index
        .listDir(dir)
        .filter((n) => n.endsWith(".go") && !n.endsWith("_test.go"))
        .map((n) => path.join(dir, n));
    }
    if (path.dirname(d) === d) break;
  }
  return [];
}

// ---- rust -------------------------------------------------------------------------------------

function resolveRust(spec: string, fromFile: string, index: WorkspaceIndex): { files: string[]; rest: string[] } {
  const segments = spec.split("::").map((s) => s.trim()).filter((s) => s && s !== "{" && !s.startsWith("{"));
  if (!segments.length) return { files: [], rest: [] };
  let base: string | undefined;
  let i = 0;
  const head = segments[0]!;
  if (head === "crate") {
    base = rustCrateSrc(fromFile, index);
    i = 1;
  } else if (head === "super") {
    base = rustModuleDir(fromFile);
    while (segments[i] === "super") {
      base = path.dirname(base);
      i++;
    }
  } else if (head === "self") {
    base = rustModuleDir(fromFile);
    i = 1;
  } else if (segments.length === 1) {
    // `mod name;` declares a child module of this file.
    base = rustModuleDir(fromFile);
  }
  if (!base) return { files: [], rest: [] };
  let file: string | undefined;
  for (; i < segments.length; i++) {
    const seg = segments[i]!;
    const found = firstExisting([path.join(base, seg + ".rs"), path.join(base, seg, "mod.rs")], index);
    if (!found.length) break;
    file = found[0]!;
    base = path.join(base, seg);
  }
  if (!file) {
    // `use crate::Name` names an item of the crate root itself.
    if (head === "crate") file = firstExisting(["lib.rs", "main.rs"].map((n) => path.join(base!, n)), index)[0];
    else if (head === "super" || head === "self") file = firstExisting([path.join(base, "mod.rs"), base + ".rs"], index)[0];
  }
  return { files: file ? [file] : [], rest: segments.slice(i) };
}

/** The directory holding the child modules of a Rust source file. */
function rustModuleDir(file: string): string {
  const base = path.basename(file);
  if (base === "mod.rs" || base === "lib.rs" || base === "main.rs") return path.dirname(file);
  return path.join(path.dirname(file), path.basename(file, ".rs"));
}

function rustCrateSrc(fromFile: string, index: WorkspaceIndex): string | undefined {
  for (let d = path.dirname(fromFile); index.folderOf(d) !== undefined; d = path.dirname(d)) {
    if (index.exists(path.join(d, "Cargo.toml"))) return path.join(d, "src");
    if (path.dirname(d) === d) break;
  }
  return undefined;
}

// ---- java -------------------------------------------------------------------------------------

function resolveJava(spec: string, fromFile: string, index: WorkspaceIndex, names: string[]): string[] {
  const parts = spec.replace(/\.\*$/, "").split(".");
  // The source root is where the file's own package path starts: try every folder above the file.
  const folder = index.folderOf(fromFile);
  const roots: string[] = [];
  for (let d = path.dirname(fromFile); folder && (d === folder || d.startsWith(folder + path.sep)); d = path.dirname(d)) {
    roots.push(d);
    if (d === folder) break;
  }
  const classes = names.filter((n) => n !== "*");
  for (const root of roots) {
    const pkgDir = path.join(root, ...parts);
    // `import a.b.C;` names class C of package a.b; `import a.b.*;` every class of it.
    const found = classes.length
      ? firstExistingEach(classes.map((c) => path.join(pkgDir, c + ".java")), index)
      : names.includes("*")
        ? index.listDir(pkgDir).filter((n) => n.endsWith(".java")).map((n) => path.join(pkgDir, n))
        : firstExisting([pkgDir + ".java"], index);
    if (found.length) {
      if (!classes.length && !names.includes("*")) names.push(parts[parts.length - 1]!);
      return found;
    }
  }
  return [];
}

function firstExistingEach(candidates: string[], index: WorkspaceIndex): string[] {
  return candidates.filter((c) => index.exists(c));
}
