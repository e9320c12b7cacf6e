/**
 * The workspace index: a lazy, bounded cache of the workspace files the context engine touches.
 *
 * Nothing is walked up front. A file is read when a resolved import or a convention names it, and
 * from then on it is kept (with whatever the engine derived from it) until it changes. Freshness
 * comes from re-stating a file on every use (cheap) and from `invalidate`, which the server calls
 * for `workspace/didChangeWatchedFiles`. Every path is resolved through symlinks and checked
 * against the workspace folders, `.gitignore`, `.codegenignore` and the exclude setting before a
 * single byte is read.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ignore, { type Ignore } from "ignore";
import { LRUCache } from "lru-cache";

/** Knobs of one index; the defaults suit an editor session. */
export interface WorkspaceIndexOptions {
  /** Gitignore-syntax patterns (relative to each workspace folder) never read. */
  exclude?: readonly string[];
  /** Files above this size are never read. */
  maxFileBytes?: number;
  /** How many files the cache keeps at most. */
  maxFiles?: number;
  /** How many bytes of file text the cache keeps at most. */
  maxBytes?: number;
}

interface CachedFile {
  mtimeMs: number;
  size: number;
  text: string;
  /** Values derived from the text (parse results…), dropped with the text when it changes. */
  derived: Map<string, unknown>;
}

interface IgnoreFile {
  checkedAt: number;
  mtimeMs: number;
  rules: Ignore | undefined;
}

/** Directories no workspace wants in a prompt, whether or not a .gitignore says so. */
const ALWAYS_IGNORED = [".git/", "node_modules/", ".hg/", ".svn/"];
/** The per-directory files whose rules apply beneath them. */
const IGNORE_FILE_NAMES = [".gitignore", ".codegenignore"];
/** How long an ignore file's rules are trusted before re-stating it (it rarely changes). */
const IGNORE_RECHECK_MS = 2000;

/** A lazily filled, bounded view of the files inside some workspace folders. */
export class WorkspaceIndex {
  /** Workspace folders as given and through symlinks, longest first so nested folders win. */
  private readonly roots: string[];
  private readonly excludeRules: Ignore;
  private readonly maxFileBytes: number;
  private readonly files: LRUCache<string, CachedFile>;
  private readonly ignoreFiles = new Map<string, IgnoreFile>();
  private readonly dirListings = new Map<string, { mtimeMs: number; names: string[] }>();
  private readonly realDirs = new Map<string, string>();
  /** Inside `atOnce`: each path's lstat ("l" + path) and stat ("s" + path), null when missing. */
  private stats: Map<string, fs.Stats | null> | undefined;

  constructor(folders: readonly string[], options: WorkspaceIndexOptions = {}) {
    const roots = new Set<string>();
    for (const folder of folders) {
      const abs = path.resolve(folder);
      roots.add(abs);
      try {
        roots.add(fs.realpathSync(abs));
      } catch {
        // A folder that does not exist simply holds no files.
      }
    }
    this.roots = [...roots].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    this.excludeRules = ignore().add([...ALWAYS_IGNORED, ...(options.exclude ?? [])]);
    this.maxFileBytes = options.maxFileBytes ?? 1024 * 1024;
    this.files = new LRUCache<string, CachedFile>({
      max: options.maxFiles ?? 2000,
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (f) => Math.max(1, f.text.length * 2),
    });
  }

  /** The workspace folder holding `filePath` (after resolving symlinks), or undefined when none does. */
  folderOf(filePath: string): string | undefined {
    const abs = path.resolve(filePath);
    const real = this.realPath(abs);
    const lexical = this.rootContaining(abs);
    const physical = this.rootContaining(real);
    // NOTE: both must hold: a symlink inside the workspace pointing outside it is not readable.
    return lexical !== undefined && physical !== undefined ? lexical : undefined;
  }

  /** True when the engine may read `filePath`: inside a folder and not ignored nor excluded. */
  isReadable(filePath: string): boolean {
    const root = this.folderOf(filePath);
    if (root === undefined) return false;
    const rel = path.relative(root, path.resolve(filePath));
    if (rel === "") return false;
    const relPosix = rel.split(path.sep).join("/");
    if (this.excludeRules.ignores(relPosix)) return false;
    // Apply the ignore files of the folder and of every directory between it and the file.
    const parts = relPosix.split("/");
    let dir = root;
    for (let i = 0; i < parts.length; i++) {
      const rules = this.ignoreRulesOf(dir);
      if (rules) {
        const sub = parts.slice(i).join("/");
        if (rules.ignores(sub)) return false;
        // A directory ignored by these rules hides everything below it.
        for (let j = i + 1; j < parts.length; j++) {
          if (rules.ignores(parts.slice(i, j).join("/") + "/")) return false;
        }
      }
      dir = path.join(dir, parts[i]!);
    }
    return true;
  }

  /** Whether `filePath` is a readable regular file. */
  exists(filePath: string): boolean {
    if (!this.isReadable(filePath)) return false;
    return this.statOf(path.resolve(filePath), false)?.isFile() ?? false;
  }

  /**
   * Runs `work` (synchronous) stating each path at most once. One context build asks about the
   * same paths again and again: every Python import walks the same `__init__.py` chain, every
   * question states the path twice (symlink check, then the file); in bench:context's stdlib runs a
   * build asked 92 times about 39 paths, ~4 ms of its time (8 ms in the slowest tenth). Files do
   * not change under one synchronous build; outside `atOnce` every question states the disk again,
   * so the next build sees any edit.
   */
  atOnce<T>(work: () => T): T {
    if (this.stats) return work();
    this.stats = new Map();
    try {
      return work();
    } finally {
      this.stats = undefined;
    }
  }

  /** The path's lstat (`link`) or stat, undefined when it cannot be stated; memoized in `atOnce`. */
  private statOf(abs: string, link: boolean): fs.Stats | undefined {
    const key = (link ? "l" : "s") + abs;
    const memo = this.stats;
    if (memo) {
      const known = memo.get(key);
      if (known !== undefined) return known ?? undefined;
      // What is not a symlink states the same either way.
      const other = memo.get((link ? "s" : "l") + abs);
      if (!link && other && !other.isSymbolicLink()) return other;
    }
    let stat: fs.Stats | undefined;
    try {
      // No exception for the usual answer: most paths an import resolver tries do not exist.
      stat = link ? fs.lstatSync(abs, { throwIfNoEntry: false }) : fs.statSync(abs, { throwIfNoEntry: false });
    } catch {
      // ENOTDIR (a file where a folder was expected), EACCES…: not there for us.
    }
    memo?.set(key, stat ?? null);
    return stat;
  }

  /**
   * The text of a readable file, re-stated on every call so edits on disk are seen; undefined for
   * files outside the workspace, ignored, excluded, too big, binary or missing.
   */
  read(filePath: string): string | undefined {
    return this.entry(filePath)?.text;
  }

  /**
   * A value derived from a file's text (for example its parse), computed once per version of the
   * file and dropped when the file changes.
   */
  derive<T>(filePath: string, key: string, compute: (text: string) => T): T | undefined {
    const entry = this.entry(filePath);
    if (!entry) return undefined;
    if (entry.derived.has(key)) return entry.derived.get(key) as T;
    const value = compute(entry.text);
    entry.derived.set(key, value);
    return value;
  }

  /** Names of the readable entries of a directory, sorted (so results are deterministic). */
  listDir(dir: string): string[] {
    const abs = path.resolve(dir);
    if (this.folderOf(abs) === undefined) return [];
    const stat = this.statOf(abs, false);
    if (!stat) {
      this.dirListings.delete(abs);
      return [];
    }
    const cached = this.dirListings.get(abs);
    if (cached && cached.mtimeMs === stat.mtimeMs) return cached.names;
    let names: string[];
    try {
      names = fs.readdirSync(abs).sort();
    } catch {
      return [];
    }
    names = names.filter((n) => this.isReadable(path.join(abs, n)));
    this.dirListings.set(abs, { mtimeMs: stat.mtimeMs, names });
    return names;
  }

  /** Forgets what the index knows about these paths (from `workspace/didChangeWatchedFiles`). */
  invalidate(paths: readonly string[]): void {
    this.realDirs.clear();
    for (const p of paths) {
      const abs = path.resolve(p);
      this.files.delete(abs);
      this.dirListings.delete(path.dirname(abs));
      if (IGNORE_FILE_NAMES.includes(path.basename(abs))) {
        this.ignoreFiles.delete(path.dirname(abs));
        // Ignore rules decide which entries a listing shows.
        this.dirListings.clear();
      }
    }
  }

  /** How many files the cache holds (for tests and diagnostics). */
  get cachedFiles(): number {
    return this.files.size;
  }

  /**
   * The path with symlinks resolved. Directories' real paths are cached (they rarely change, and
   * `invalidate` clears them); the file itself is checked with one lstat.
   */
  private realPath(abs: string): string {
    const dir = path.dirname(abs);
    let realDir = this.realDirs.get(dir);
    if (realDir === undefined) {
      try {
        realDir = fs.realpathSync(dir);
      } catch {
        // A directory that does not exist yet is judged by its spelling.
        realDir = dir;
      }
      if (this.realDirs.size > 10000) this.realDirs.clear();
      this.realDirs.set(dir, realDir);
    }
    try {
      if (this.statOf(abs, true)?.isSymbolicLink()) return fs.realpathSync(abs);
    } catch {
      // A dangling link: judged by its spelling.
    }
    // Missing: judged by its spelling.
    return path.join(realDir, path.basename(abs));
  }

  private rootContaining(abs: string): string | undefined {
    for (const root of this.roots) {
      if (abs === root || abs.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) return root;
    }
    return undefined;
  }

  private entry(filePath: string): CachedFile | undefined {
    const abs = path.resolve(filePath);
    if (!this.isReadable(abs)) return undefined;
    const stat = this.statOf(abs, false);
    if (!stat) {
      this.files.delete(abs);
      return undefined;
    }
    if (!stat.isFile() || stat.size > this.maxFileBytes) return undefined;
    const cached = this.files.get(abs);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
    let buffer: Buffer;
    try {
      buffer = fs.readFileSync(abs);
    } catch {
      return undefined;
    }
    // A NUL byte in the first 8 KiB marks a binary file, which never goes into a prompt.
    if (buffer.subarray(0, 8192).includes(0)) return undefined;
    const entry: CachedFile = { mtimeMs: stat.mtimeMs, size: stat.size, text: buffer.toString("utf8"), derived: new Map() };
    this.files.set(abs, entry);
    return entry;
  }

  private ignoreRulesOf(dir: string): Ignore | undefined {
    const now = Date.now();
    const cached = this.ignoreFiles.get(dir);
    if (cached && now - cached.checkedAt < IGNORE_RECHECK_MS) return cached.rules;
    let mtimeMs = 0;
    const stats: fs.Stats[] = [];
    for (const name of IGNORE_FILE_NAMES) {
      try {
        const s = fs.statSync(path.join(dir, name));
        stats.push(s);
        mtimeMs += s.mtimeMs + s.size;
      } catch {
        // No such ignore file here.
      }
    }
    if (cached && cached.mtimeMs === mtimeMs) {
      cached.checkedAt = now;
      return cached.rules;
    }
    let rules: Ignore | undefined;
    if (stats.length > 0) {
      rules = ignore();
      for (const name of IGNORE_FILE_NAMES) {
        try {
          rules.add(fs.readFileSync(path.join(dir, name), "utf8"));
        } catch {
          // Missing or unreadable: no rules from it.
        }
      }
    }
    this.ignoreFiles.set(dir, { checkedAt: now, mtimeMs, rules });
    return rules;
  }
}

const indexes = new Map<string, WorkspaceIndex>();

/**
 * The shared index for these folders and options, so the cache survives between requests. A
 * server normally has one.
 */
export function workspaceIndexFor(folders: readonly string[], options: WorkspaceIndexOptions = {}): WorkspaceIndex {
  const key = JSON.stringify([[...folders].sort(), options.exclude ?? [], options.maxFileBytes ?? 0]);
  let index = indexes.get(key);
  if (!index) {
    // Settings rarely change; keep the few latest indexes only.
    if (indexes.size >= 4) indexes.delete(indexes.keys().next().value!);
    index = new WorkspaceIndex(folders, options);
    indexes.set(key, index);
  }
  return index;
}

/** Forgets these paths in every shared index (call it for `workspace/didChangeWatchedFiles`). */
export function invalidateWorkspaceFiles(paths: readonly string[]): void {
  for (const index of indexes.values()) index.invalidate(paths);
}
