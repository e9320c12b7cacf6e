import { appendFileSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, resolve } from "node:path";
import type { LogLevel } from "./settings/types.js";

const levelRank: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Whether a message at `level` passes the configured `threshold`. */
export function levelEnabled(level: LogLevel, threshold: LogLevel): boolean {
  return levelRank[level] <= levelRank[threshold];
}

/** Replaces every occurrence of each secret (API keys) in `text`; secrets shorter than 4 characters are left alone. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join("[redacted]");
  return out;
}

/** Expands a leading ~ and makes the path absolute. */
export function expandPath(path: string): string {
  return resolve(path.replace(/^~(?=$|[\\/])/, homedir()));
}

/**
 * A log file sink: appends one line per call, synchronously so nothing is lost when the process
 * exits right after. A file that cannot be written disables itself and reports once through `onError`.
 */
export function createFileSink(path: string, onError: (message: string) => void): (line: string) => void {
  const file = expandPath(path);
  let broken = false;
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch {
    // appendFileSync below reports the real problem.
  }
  return (line) => {
    if (broken) return;
    try {
      appendFileSync(file, line + "\n");
    } catch (e) {
      broken = true;
      onError(`cannot write the log file ${file}: ${(e as Error).message}`);
    }
  };
}

/** Formats one log line for a file or stderr. */
export function formatLogLine(level: LogLevel, message: string): string {
  return `[${new Date().toISOString()}] ${level.toUpperCase().padEnd(5)} ${message}`;
}
