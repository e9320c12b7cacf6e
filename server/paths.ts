import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/**
 * The directory that holds this package's package.json. Runtime files (grammars/*.scm,
 * server/settings/schema.json) are read relative to it, so the same code works from the sources,
 * from dist/ and from an installed package.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return (cached = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** Resolves a path inside the package root. */
export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}

let version: string | undefined;

/** This package's version, from package.json. */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version?: string }).version ?? "0.0.0";
  return version;
}
