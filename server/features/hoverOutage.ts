/**
 * Remembers that the endpoint is down so the user is told once, in one hover, instead of on every
 * hover. The notice is shown again only after the endpoint answered in between or the settings
 * that decide where requests go changed.
 */
import { createHash } from "node:crypto";
import type { Settings } from "../settings/types.js";
import type { LlmErrorKind } from "../llm/types.js";

/** Failures that mean "the endpoint is not usable right now", as opposed to one bad reply. */
const OUTAGE_KINDS: ReadonlySet<LlmErrorKind> = new Set<LlmErrorKind>([
  "unreachable",
  "auth",
  "not-found",
  "rate-limit",
  "server",
  "timeout",
]);

/** True when an error of this kind means the endpoint is down or refusing us. */
export function isOutage(kind: LlmErrorKind | undefined): boolean {
  return kind !== undefined && OUTAGE_KINDS.has(kind);
}

/**
 * A fingerprint of the settings that decide whether requests can succeed. The API key goes
 * through a hash so it is never kept in clear text beyond the settings object itself.
 */
export function endpointFingerprint(s: Settings): string {
  return createHash("sha256")
    .update(JSON.stringify([s.provider, s.baseUrl, s.apiKey, s.hover?.model]))
    .digest("hex");
}

/** Tracks whether the outage notice was already shown for the current settings. */
export class OutageNotice {
  private notedFor: string | undefined;

  /** True while an outage was noted for these settings and nothing has worked since. */
  isQuiet(fingerprint: string): boolean {
    return this.notedFor === fingerprint;
  }

  /** Records an outage; returns true when the user has not been told yet (show the note now). */
  record(fingerprint: string): boolean {
    if (this.notedFor === fingerprint) return false;
    this.notedFor = fingerprint;
    return true;
  }

  /** The endpoint answered: the next outage is news again. */
  recovered(): void {
    this.notedFor = undefined;
  }
}
