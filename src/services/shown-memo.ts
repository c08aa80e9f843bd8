/**
 * Remembers which stored candidates a re-ranking showed, keyed by everything the re-ranking reads (the candidates'
 * movies, scores and picks, the user's picks, the step and the count): the 48 and the stored 12 are read far more
 * often than they change, and re-ranking them on every page view was a sixth of the web's CPU under load.
 * Bounded (least recently used out first); a pure function's memo, so nothing is ever stale.
 */

/** What the key reads of a stored candidate (discovery.ts's Candidate). */
interface KeyedCandidate {
  readonly movieId: number;
  readonly score: number;
  readonly because: number;
}

/** Memo entries per process: a few hundred bytes each. */
export const SHOWN_MEMO_ENTRIES = 4096;

const scoreBits = new Float64Array(1);
const scoreWords = new Int32Array(scoreBits.buffer);

export class ShownMemo {
  private readonly entries = new Map<string, Int32Array>();

  constructor(private readonly capacity = SHOWN_MEMO_ENTRIES) {}

  /** The key of one re-ranking: two independent 32-bit hashes of its inputs, with their sizes. */
  keyOf(candidates: readonly KeyedCandidate[], pickIds: readonly number[], step: string, count: number): string {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    const mix = (value: number): void => {
      a = Math.imul(a ^ (value | 0), 0x01000193);
      b = Math.imul(b ^ (value | 0), 0x5bd1e995);
      b ^= b >>> 15;
    };
    for (const c of candidates) {
      mix(c.movieId);
      mix(c.because);
      scoreBits[0] = c.score;
      mix(scoreWords[0]);
      mix(scoreWords[1]);
    }
    for (const id of pickIds) mix(id);
    return `${step}:${count}:${candidates.length}:${pickIds.length}:${(a >>> 0).toString(36)}:${(b >>> 0).toString(36)}`;
  }

  /** The positions shown for this key, in order, or undefined when it is not remembered. */
  get(key: string): Int32Array | undefined {
    const positions = this.entries.get(key);
    if (positions === undefined) return undefined;
    // Most recently used goes last, so the first key is the one to evict.
    this.entries.delete(key);
    this.entries.set(key, positions);
    return positions;
  }

  /** Remembers the positions shown for this key; returns them. */
  set(key: string, shown: readonly number[]): Int32Array {
    const positions = Int32Array.from(shown);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, positions);
    return positions;
  }
}
