import { editDistanceWithin } from './edit-distance.js';

/** Finds the words of a vocabulary one or two typos away from a query word. */
export interface FuzzyWords {
  /** Ids (vocabulary indices) of the words within typoAllowance(word) edits of word, the word itself excluded. */
  near(word: string): number[];
}

/** Typos forgiven in a word: none under 4 letters or in numbers, 1 for 4–7 letters, 2 from 8 letters on. */
export function typoAllowance(word: string): number {
  if (word.length < 4 || /^\d+$/.test(word)) return 0;
  return word.length < 8 ? 1 : 2;
}

/**
 * Indexes the vocabulary by letter pairs ("$godfather$" → "$g", "go", …, "r$") so that a query word is compared,
 * by edit distance, only with words sharing enough pairs: one edit changes at most 3 distinct pairs.
 */
export function createFuzzyWords(vocabulary: readonly string[]): FuzzyWords {
  const lists = new Map<string, number[]>();
  vocabulary.forEach((word, id) => {
    if (/^\d+$/.test(word)) return;
    for (const pair of letterPairs(word)) {
      const list = lists.get(pair);
      if (list) list.push(id);
      else lists.set(pair, [id]);
    }
  });
  const pairs = new Map([...lists].map(([pair, ids]) => [pair, Int32Array.from(ids)]));
  const shared = new Int32Array(vocabulary.length);
  const seen = new Int32Array(vocabulary.length);
  let stamp = 0;

  return {
    near(word) {
      const allowance = typoAllowance(word);
      if (allowance === 0) return [];
      const wordPairs = letterPairs(word);
      const needed = Math.max(1, wordPairs.size - 3 * allowance);
      stamp++;
      const found: number[] = [];
      for (const pair of wordPairs) {
        const ids = pairs.get(pair);
        if (!ids) continue;
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k];
          if (seen[id] !== stamp) {
            seen[id] = stamp;
            shared[id] = 0;
          }
          if (++shared[id] !== needed) continue;
          const candidate = vocabulary[id];
          if (candidate !== word && editDistanceWithin(word, candidate, allowance) <= allowance) found.push(id);
        }
      }
      return found;
    },
  };
}

function letterPairs(word: string): Set<string> {
  const padded = `$${word}$`;
  const pairs = new Set<string>();
  for (let k = 0; k + 1 < padded.length; k++) pairs.add(padded.slice(k, k + 2));
  return pairs;
}
