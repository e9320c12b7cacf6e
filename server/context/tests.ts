/**
 * For "Add tests": where the tests of a module live, which framework the workspace uses, and an
 * existing test to show the model as a style example. Test file locations and framework markers
 * come from the language's conventions.json.
 */
import * as path from "node:path";
import type { WorkspaceIndex } from "./workspace.js";
import type { FileView } from "./session.js";
import { analyzeText } from "./syntax.js";
import { countTokens } from "./tokens.js";
import type { ContextChunk } from "./types.js";

/** Files that name a project's dependencies or test setup, in any language. */
const MANIFESTS = [
  "package.json",
  ".mocharc.json",
  ".mocharc.yml",
  ".mocharc.js",
  "jest.config.js",
  "jest.config.ts",
  "vitest.config.ts",
  "vitest.config.js",
  "pyproject.toml",
  "setup.cfg",
  "tox.ini",
  "pytest.ini",
  "requirements.txt",
  "requirements-dev.txt",
  "Cargo.toml",
  "go.mod",
  "pom.xml",
  "build.gradle",
  "build.gradle.kts",
  "Gemfile",
  "CMakeLists.txt",
];

/** What the engine found about a module's tests. */
export interface TestsInfo {
  framework?: string;
  file?: { path: string; exists: boolean };
  examples: ContextChunk[];
}

/** Finds the test file, framework and style examples for the module in `doc`. */
export function findTests(doc: FileView, index: WorkspaceIndex | undefined, folders: readonly string[]): TestsInfo {
  const info: TestsInfo = { examples: [] };
  const conv = doc.conventions;
  if (!conv || !doc.path) return info;
  const folder = index?.folderOf(doc.path) ?? folders.find((f) => doc.path.startsWith(f + path.sep));
  const ext = path.extname(doc.path);
  const name = path.basename(doc.path, ext);
  const dir = path.dirname(doc.path);
  const candidates = conv.testFilePatterns.map((p) => {
    const filled = p.replaceAll("{dir}", dir).replaceAll("{name}", name).replaceAll("{ext}", ext);
    return path.isAbsolute(filled) ? filled : path.join(folder ?? dir, filled);
  });
  // The module may itself be a test file (tests for tests are not a thing): no test file then.
  const existing = index ? candidates.find((c) => c !== doc.path && index.exists(c)) : undefined;
  if (existing) info.file = { path: existing, exists: true };
  else if (candidates.length && folder) info.file = { path: candidates[0]!, exists: false };

  // The framework: markers in the existing test file first, then in manifests up to the folder.
  const testText = existing && index ? index.read(existing) : undefined;
  const markers = Object.entries(conv.testFrameworkMarkers ?? {});
  const find = (t: string): string | undefined => markers.find(([, ms]) => ms.some((m) => t.includes(m)))?.[0];
  if (testText) info.framework = find(testText);
  if (!info.framework && index && folder) {
    for (let d = dir; d.startsWith(folder); d = path.dirname(d)) {
      for (const m of MANIFESTS) {
        const t = index.read(path.join(d, m));
        const f = t !== undefined ? find(t) : undefined;
        if (f) {
          info.framework = f;
          break;
        }
      }
      if (info.framework || d === folder || path.dirname(d) === d) break;
    }
  }

  // A style example: the test file's imports and its first test case.
  if (existing && testText !== undefined && doc.language) {
    const analysis = analyzeText(testText, doc.language);
    const cases = analysis.testCases();
    const importEnd = analysis.imports.reduce((n, i) => Math.max(n, i.span.endOffset), 0);
    const parts: Array<[number, number]> = [];
    if (importEnd > 0) parts.push([analysis.imports.reduce((n, i) => Math.min(n, i.span.startOffset), importEnd), importEnd]);
    const first = cases[0];
    if (first && first.span.startOffset >= importEnd) parts.push([first.span.startOffset, first.span.endOffset]);
    if (parts.length) {
      const text = parts.map(([a, b]) => testText.slice(a, b)).join("\n\n");
      info.examples.push({
        source: "test-example",
        filePath: existing,
        relativePath: folder ? path.relative(folder, existing).split(path.sep).join("/") : path.basename(existing),
        language: doc.language,
        text,
        tokens: countTokens(text),
        symbol: first?.name,
        elided: false,
        startOffset: parts[0]![0],
        endOffset: parts[parts.length - 1]![1],
        ranges: parts.map(([a, b]) => ({ startOffset: a, endOffset: b })),
      });
    }
  }
  return info;
}
