import type { Random } from '../recommend/random.js';
import { ADJECTIVES, ARTICLES, CONNECTORS, NOUNS, SYLLABLES } from './vocabulary.js';

function pick(rng: Random, words: readonly string[]): string {
  return words[rng.int(words.length)];
}

/** A made-up name of 2–3 syllables, capitalized: most appear in a handful of titles, as names do. */
function name(rng: Random): string {
  let word = '';
  for (let n = 2 + rng.int(2); n > 0; n--) word += pick(rng, SYLLABLES);
  return word[0].toUpperCase() + word.slice(1);
}

/** A common noun, or (a third of the time) a made-up name. */
function subject(rng: Random): string {
  return rng.next() < 0.35 ? name(rng) : pick(rng, NOUNS);
}

/**
 * A MovieLens-style title without its year: mostly plain words, about one in five with a comma
 * (an article moved to the end, a list, a foreign alternative title) and a rare embedded quote.
 */
export function syntheticTitle(rng: Random): string {
  const kind = rng.next();
  const noun = subject(rng);
  const adjective = pick(rng, ADJECTIVES);
  if (kind < 0.28) return `${adjective} ${noun}`;
  if (kind < 0.46) return noun;
  if (kind < 0.6) return `${rng.next() < 0.5 ? noun : `${adjective} ${noun}`}, ${pick(rng, ARTICLES)}`;
  if (kind < 0.76) return `${noun} ${pick(rng, CONNECTORS)} the ${subject(rng)}`;
  if (kind < 0.82) return `${noun}, ${subject(rng)} and ${subject(rng)}`;
  if (kind < 0.9) return rng.next() < 0.5 ? `${adjective} ${noun} ${2 + rng.int(3)}` : `${noun} II: ${adjective} ${pick(rng, NOUNS)}`;
  if (kind < 0.95) return `${noun}, ${pick(rng, ARTICLES)} (${pick(rng, NOUNS)} ${pick(rng, ADJECTIVES)}, ${pick(rng, ARTICLES)})`;
  if (kind < 0.997) return `${adjective} ${noun}: ${pick(rng, NOUNS)} ${pick(rng, CONNECTORS)} ${pick(rng, NOUNS)}`;
  return `"${noun}" ${adjective} ${pick(rng, NOUNS)}`;
}

/** A CSV field, quoted (inner quotes doubled) when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
