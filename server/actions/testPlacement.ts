/**
 * Where "Add tests" puts its tests and which framework they use. Both come from data: the
 * grammar's conventions (test file patterns, framework markers) and what the workspace already
 * does (an existing test file for this module, the pattern sibling modules follow, the manifests).
 */
import fs from "node:fs";
import path from "node:path";
import type { LanguageConventions } from "../syntax/types.js";

/** Read-only file access, injectable so placement is tested on plain data. */
export interface FileAccess {
  exists(p: string): boolean;
  read(p: string): string | undefined;
  list(dir: string): string[];
}

/** The real file system; reads are bounded so a huge file cannot stall an action. */
export const diskAccess: FileAccess = {
  exists: (p) => fs.existsSync(p),
  read: (p) => {
    try {
      const st = fs.statSync(p);
      if (!st.isFile() || st.size > 1024 * 1024) return undefined;
      return fs.readFileSync(p, "utf8");
    } catch {
      return undefined;
    }
  },
  list: (dir) => {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  },
};

export interface TestPlacement {
  /** Absolute path of the test file. */
  path: string;
  /** Path relative to the workspace folder, with forward slashes. */
  relPath: string;
  /** The source file, relative to the workspace folder. */
  sourceRelPath: string;
  exists: boolean;
  /** The tests go into the source file itself (Rust's `mod tests`). */
  sameFile: boolean;
  framework?: string;
}

/** True when `p` lies inside `root` (or is it). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * The path with every symbolic link on it resolved, also for a file not created yet: the longest
 * existing prefix is resolved and the rest appended, and a dangling link is followed to where it
 * points. Undefined when it cannot be resolved (a link loop): callers treat that as outside.
 */
export function resolvedPath(p: string): string | undefined {
  let cur = path.resolve(p);
  const rest: string[] = [];
  for (let hops = 0; hops < 64; hops++) {
    try {
      return path.join(fs.realpathSync.native(cur), ...rest);
    } catch {
      let link: string | undefined;
      try {
        link = fs.lstatSync(cur).isSymbolicLink() ? fs.readlinkSync(cur) : undefined;
      } catch {
        link = undefined;
      }
      if (link !== undefined) {
        cur = path.resolve(path.dirname(cur), link);
        continue;
      }
      const parent = path.dirname(cur);
      if (parent === cur) return path.join(cur, ...rest);
      rest.unshift(path.basename(cur));
      cur = parent;
    }
  }
  return undefined;
}

/** Fills a pattern's placeholders for one source file; undefined when it names one we do not know. */
export function expandPattern(pattern: string, root: string, sourcePath: string): string | undefined {
  const ext = path.extname(sourcePath);
  const name = path.basename(sourcePath, ext);
  const dir = path.relative(root, path.dirname(sourcePath)).split(path.sep).join("/") || ".";
  // A mirrored test tree (src/main/java/a/b → src/test/java/a/b) for Maven-style layouts.
  const testDir = dir.replace(/(^|\/)main(\/|$)/, "$1test$2");
  // The package path of a Maven-style layout (src/main/java/com/acme → com/acme), else the folder.
  const pkg = /(?:^|\/)src\/main\/[^/]+\/(.+)$/.exec(dir)?.[1] ?? /(?:^|\/)src\/(.+)$/.exec(dir)?.[1] ?? dir;
  const values: Record<string, string> = { dir, name, ext, Name: name.charAt(0).toUpperCase() + name.slice(1), testDir, package: pkg, file: `${dir}/${name}${ext}` };
  let unknown = false;
  // Text after "#" names a place inside the file ("{file}#[cfg(test)] mod tests"): the path is before it.
  const rel = pattern.split("#")[0]!.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (!(k in values)) unknown = true;
    return values[k] ?? "";
  });
  if (unknown) return undefined;
  return path.resolve(root, rel);
}

/** Files whose names or contents reveal the test framework: package manifests and tool configs. */
const manifestNames = [
  "package.json", "pyproject.toml", "setup.cfg", "setup.py", "tox.ini", "pytest.ini", "requirements.txt",
  "requirements-dev.txt", "Cargo.toml", "go.mod", "pom.xml", "build.gradle", "build.gradle.kts", "CMakeLists.txt", "Gemfile",
];

/**
 * Picks the framework whose markers appear most often: an existing test file of the module counts
 * three times, a sibling's test file twice, the manifests and root file names once. Ties go to the
 * framework listed first in the conventions.
 */
export function detectFramework(markers: Record<string, string[]>, sources: Array<{ text: string; weight: number }>): string | undefined {
  let best: string | undefined;
  let bestScore = 0;
  for (const [framework, list] of Object.entries(markers)) {
    let score = 0;
    for (const s of sources) if (list.some((m) => s.text.includes(m))) score += s.weight;
    if (score > bestScore) [best, bestScore] = [framework, score];
  }
  return best;
}

/** Decides the test file and framework for a source file inside a workspace folder. */
export function placeTests(sourcePath: string, conventions: LanguageConventions, root: string, files: FileAccess = diskAccess): TestPlacement | { error: string } {
  if (!isInside(root, sourcePath)) return { error: `${sourcePath} is outside the workspace` };
  const candidates = conventions.testFilePatterns
    .map((p) => expandPattern(p, root, sourcePath))
    .filter((p): p is string => p !== undefined && isInside(root, p));
  if (candidates.length === 0) return { error: `no test file location is known for ${path.basename(sourcePath)}` };
  let chosen = candidates.find((c) => files.exists(c));
  const ext = path.extname(sourcePath);
  const dir = path.dirname(sourcePath);
  const siblings = files
    .list(dir)
    .filter((f) => f.endsWith(ext) && path.join(dir, f) !== sourcePath)
    .slice(0, 100)
    .map((f) => path.join(dir, f));
  const siblingTests: string[] = [];
  if (!chosen) {
    // Follow the pattern the workspace already uses for neighbouring modules.
    let bestCount = 0;
    for (const p of conventions.testFilePatterns) {
      const mine = expandPattern(p, root, sourcePath);
      if (mine === undefined || !candidates.includes(mine)) continue;
      const hits = siblings.map((s) => expandPattern(p, root, s)).filter((t): t is string => t !== undefined && t !== sourcePath && files.exists(t));
      if (hits.length > bestCount) {
        bestCount = hits.length;
        chosen = mine;
        siblingTests.splice(0, siblingTests.length, ...hits.slice(0, 2));
      }
    }
  }
  if (!chosen) {
    // Else a pattern whose test folder already exists (tests/, __tests__/), else the first pattern.
    chosen = candidates.find((c) => path.dirname(c) !== dir && files.exists(path.dirname(c))) ?? candidates[0]!;
  }
  const exists = files.exists(chosen);
  const sources: Array<{ text: string; weight: number }> = [];
  if (exists && chosen !== sourcePath) sources.push({ text: files.read(chosen) ?? "", weight: 3 });
  for (const t of siblingTests) sources.push({ text: files.read(t) ?? "", weight: 2 });
  const rootFiles = files.list(root);
  sources.push({ text: rootFiles.join("\n"), weight: 1 });
  for (const m of manifestNames) if (rootFiles.includes(m)) sources.push({ text: files.read(path.join(root, m)) ?? "", weight: 1 });
  const rel = (p: string) => path.relative(root, p).split(path.sep).join("/");
  return {
    path: chosen,
    relPath: rel(chosen),
    sourceRelPath: rel(sourcePath),
    exists,
    sameFile: chosen === sourcePath,
    framework: detectFramework(conventions.testFrameworkMarkers, sources),
  };
}
