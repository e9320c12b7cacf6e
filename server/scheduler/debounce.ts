/**
 * The adaptive debounce: how long to wait after a keystroke before asking the model.
 *
 * Inside a fast burst the wait stretches to a bit more than the typist's own rhythm, so the
 * next key usually arrives before the wait ends and only the burst's last key costs a model
 * call. After a pause the first key waits only the minimum, because a single edit followed by
 * a look at the screen is the common case.
 */

export interface DebounceBounds {
  minMs: number;
  maxMs: number;
}

/** How much longer than the typist's usual gap between keys to wait inside a burst. */
const RHYTHM_FACTOR = 1.6;
/** The least margin over the typist's gap inside a burst. */
const JITTER_MS = 40;
/** Weight of the newest gap in the moving average of gaps. */
const SMOOTHING = 0.5;

interface Rhythm {
  lastAt: number;
  /** Exponential moving average of the gaps between keystrokes inside the current burst. */
  gap: number | undefined;
}

/** Tracks the typing rhythm per document and says how long to debounce the next request. */
export class AdaptiveDebounce {
  private readonly rhythms = new Map<string, Rhythm>();

  constructor(private bounds: () => DebounceBounds) {}

  /** Records a keystroke-driven request at `now` and returns the debounce for it in ms. */
  next(uri: string, now: number, explicit: boolean): number {
    const { minMs, maxMs } = normalise(this.bounds());
    const r = this.rhythms.get(uri);
    // A gap longer than this ends the burst: the user paused, so the rhythm starts over.
    const pauseMs = Math.max(2 * maxMs, 400);
    let rhythm: Rhythm;
    if (!r || now - r.lastAt > pauseMs) {
      rhythm = { lastAt: now, gap: undefined };
    } else {
      const gap = Math.max(0, now - r.lastAt);
      rhythm = { lastAt: now, gap: r.gap === undefined ? gap : SMOOTHING * gap + (1 - SMOOTHING) * r.gap };
    }
    this.rhythms.set(uri, rhythm);
    if (explicit) return 0;
    if (rhythm.gap === undefined) return minMs;
    // The margin over the gap absorbs jitter (a loaded machine, an uneven typist) in quick bursts.
    return clamp(Math.round(Math.max(rhythm.gap * RHYTHM_FACTOR, rhythm.gap + JITTER_MS)), minMs, maxMs);
  }

  /** Forgets a document's rhythm. */
  forget(uri: string): void {
    this.rhythms.delete(uri);
  }
}

function normalise(b: DebounceBounds): DebounceBounds {
  const minMs = Math.max(0, Number.isFinite(b.minMs) ? b.minMs : 0);
  const maxMs = Math.max(minMs, Number.isFinite(b.maxMs) ? b.maxMs : minMs);
  return { minMs, maxMs };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
