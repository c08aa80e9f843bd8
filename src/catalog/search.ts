import { foldedWords, joinedWords, romanNumeralValues } from './fold.js';
import { createFuzzyWords, typoAllowance, type FuzzyWords } from './fuzzy-words.js';
import type { Movie } from './types.js';

/** The movie picker's title search. */
export interface TitleIndex {
  /**
   * Up to limit movies whose title or alternative titles have a word starting with each query word, best first. A 4-digit
   * year may match the year instead, and so may the start of one typed last after other words ("heat 19" keeps the
   * 1900s' Heat); Roman sequel numbers match digits ("rocky 3"). When fewer than limit movies match so, query words
   * starting no title word (or any, when nothing matched) may match words a typo or two away ("godfater" →
   * "godfather"), ranked below every other match.
   */
  search(query: string, limit?: number): Movie[];
}

/** How a movie matches a query, best last: the first key of the ranking. */
const enum Tier {
  /** Some query word matches only a word one or two typos away. */
  Fuzzy = 0,
  /** Some query word matches only an alternative title's word. */
  AlternativeTitle = 1,
  /** Every query word starts a word of the title. */
  AllWords = 2,
  /** The query is the start of the title, its leading article optional: "lord of the rings", "avengers". */
  TitlePrefix = 3,
  /** The query is the title: "toy story", "heat 1995". */
  ExactTitle = 4,
}

/** Leading articles a query may leave out ("matrix" starts "The Matrix"). */
const ARTICLES = new Set(['the', 'a', 'an', 'la', 'le', 'les', 'el', 'il', 'los', 'las', 'das', 'der', 'un', 'une']);

const DEFAULT_LIMIT = 10;
const MAX_QUERY_WORDS = 8;
const PRECOMPUTED_LIMIT = 100;
const MIN_YEAR = 1870;
const MAX_YEAR = 2100;
const MAX_STAMP = 2 ** 31 - 1;

/** One query word: the sorted-word range it is a prefix of, its exact word, the years it may stand for (0, 0: none). */
interface Term {
  readonly lo: number;
  readonly hi: number;
  readonly exact: number;
  readonly yearFrom: number;
  readonly yearTo: number;
  /** Words a typo or two away, when typos are allowed. */
  readonly typos?: readonly number[];
}

/**
 * Builds the title index: a sorted list of distinct folded title words with, for each, the movies holding it,
 * so a query costs binary searches plus a walk over the rarest word's movies, never a scan of every title.
 * Ranking: the Tier (exact title > title prefix > all words > alternative title > typo), then more query words
 * matching a word exactly, then popularity (ratings count), then the older movie, then smaller id.
 */
export function createTitleIndex(movies: readonly Movie[], popularity?: ReadonlyMap<number, number>): TitleIndex {
  return new PrefixTitleIndex(movies, popularity ?? new Map());
}

class PrefixTitleIndex implements TitleIndex {
  private readonly movies: readonly Movie[];
  private readonly words: string[];
  /** For word w, postings[postingStart[w], postingStart[w + 1]) are the movies (indices) having it. */
  private readonly postingStart: Int32Array;
  private readonly postings: Int32Array;
  /**
   * For movie m, its distinct word ids: movieWords[movieWordStart[m], +titleWordCount[m]) are the title's words and
   * joined spellings, the rest up to movieWordStart[m + 1] its alternative titles' words.
   */
  private readonly movieWordStart: Int32Array;
  private readonly movieWords: Int32Array;
  private readonly titleWordCount: Int32Array;
  /** For movie m, its title's words in order, repeats kept: sequence[sequenceStart[m], sequenceStart[m + 1]). */
  private readonly sequenceStart: Int32Array;
  private readonly sequence: Int32Array;
  private readonly isArticle: Uint8Array;
  /** For a Roman numeral word ("iii"), the id of its digits ("3"); -1 for other words. */
  private readonly digitsOf: Int32Array;
  private readonly fuzzy: FuzzyWords;
  /** During a query with typos allowed, bit t of typoTerms[w] says word w is a typo away from query word t. */
  private readonly typoTerms: Int32Array;
  private readonly years: Int32Array;
  private readonly moviesByYear = new Map<number, number[]>();
  /** 0 for the most popular movie; ties broken by the older, then the smaller id. */
  private readonly popularityRank: Int32Array;
  /** Candidate de-duplication without clearing: seen[m] === stamp means already visited this query. */
  private readonly seen: Int32Array;
  private stamp = 0;
  /** The best results of each one-letter query, the slowest kind (most candidates), ranked once at construction. */
  private readonly oneLetterTop = new Map<string, Int32Array>();

  constructor(movies: readonly Movie[], popularity: ReadonlyMap<number, number>) {
    this.movies = movies;
    const n = movies.length;
    const wordIdOf = new Map<string, number>();
    const titleWordIds: number[][] = [];
    const sequences: number[][] = [];
    this.titleWordCount = new Int32Array(n);
    this.years = new Int32Array(n);
    for (let m = 0; m < n; m++) {
      const { title, alternativeTitles = [] } = movies[m];
      const inOrder = foldedWords(title);
      const titleWords = unique([...inOrder, ...joinedWords(title), ...romanNumeralValues(inOrder)]);
      const otherWords = unique(alternativeTitles.flatMap((other) => [...foldedWords(other), ...joinedWords(other)])).filter(
        (word) => !titleWords.includes(word),
      );
      this.titleWordCount[m] = titleWords.length;
      titleWordIds.push([...titleWords, ...otherWords].map((word) => idOf(wordIdOf, word)));
      sequences.push(inOrder.map((word) => wordIdOf.get(word)!));
      const year = movies[m].year ?? 0;
      this.years[m] = year;
      if (year !== 0) {
        const list = this.moviesByYear.get(year);
        if (list) list.push(m);
        else this.moviesByYear.set(year, [m]);
      }
    }
    // Renumber words in sorted order so that all words with a given prefix form one id range.
    this.words = [...wordIdOf.keys()].sort();
    const sortedId = new Int32Array(this.words.length);
    this.words.forEach((word, k) => (sortedId[wordIdOf.get(word)!] = k));
    this.movieWordStart = new Int32Array(n + 1);
    for (let m = 0; m < n; m++) this.movieWordStart[m + 1] = this.movieWordStart[m] + titleWordIds[m].length;
    this.movieWords = new Int32Array(this.movieWordStart[n]);
    this.postingStart = new Int32Array(this.words.length + 1);
    for (let m = 0; m < n; m++) {
      titleWordIds[m].forEach((id, k) => {
        this.movieWords[this.movieWordStart[m] + k] = sortedId[id];
        this.postingStart[sortedId[id] + 1]++;
      });
    }
    for (let w = 0; w < this.words.length; w++) this.postingStart[w + 1] += this.postingStart[w];
    this.postings = new Int32Array(this.movieWords.length);
    const next = this.postingStart.slice(0, this.words.length);
    for (let m = 0; m < n; m++) {
      for (let k = this.movieWordStart[m]; k < this.movieWordStart[m + 1]; k++) this.postings[next[this.movieWords[k]]++] = m;
    }
    this.sequenceStart = new Int32Array(n + 1);
    for (let m = 0; m < n; m++) this.sequenceStart[m + 1] = this.sequenceStart[m] + sequences[m].length;
    this.sequence = Int32Array.from(sequences.flat(), (id) => sortedId[id]);
    this.isArticle = Uint8Array.from(this.words, (word) => (ARTICLES.has(word) ? 1 : 0));
    this.digitsOf = Int32Array.from(this.words, (word) => {
      const [digits] = romanNumeralValues([word]);
      return digits === undefined ? -1 : lowerBound(this.words, (w) => w < digits);
    });
    this.fuzzy = createFuzzyWords(this.words);
    this.typoTerms = new Int32Array(this.words.length);
    const yearOrder = (m: number) => movies[m].year ?? MAX_YEAR + 1;
    const byPopularity = Array.from({ length: n }, (_, m) => m).sort(
      (a, b) =>
        (popularity.get(movies[b].id) ?? 0) - (popularity.get(movies[a].id) ?? 0) || yearOrder(a) - yearOrder(b) || movies[a].id - movies[b].id,
    );
    this.popularityRank = new Int32Array(n);
    byPopularity.forEach((m, rank) => (this.popularityRank[m] = rank));
    this.seen = new Int32Array(n);
    for (const letter of new Set(this.words.map((word) => word[0]))) {
      this.oneLetterTop.set(letter, this.rank([this.term(letter)], PRECOMPUTED_LIMIT));
    }
  }

  search(query: string, limit: number = DEFAULT_LIMIT): Movie[] {
    const words = foldedWords(query).slice(0, MAX_QUERY_WORDS);
    if (words.length === 0 || limit <= 0) return [];
    const precomputed = words.length === 1 ? this.oneLetterTop.get(words[0]) : undefined;
    // Only the word being typed, after others, may be the start of a year: alone, "19" is a title word like "1984".
    const terms = words.map((word, k) => this.term(word, k === words.length - 1 && k > 0));
    let ranked = precomputed && limit <= precomputed.length ? precomputed.subarray(0, limit) : this.rank(terms, limit);
    if (ranked.length < limit) ranked = this.rankWithTypos(words, terms, limit, ranked.length === 0) ?? ranked;
    return Array.from(ranked, (m) => this.movies[m]);
  }

  /**
   * rank again with query words also matching the words a typo or two away: those that start no title's word, and
   * when nothing matched, the others too ("heat 1995" stays Heat alone, "forest gump" finds Forrest Gump, "godfa" is
   * still being typed); null when no query word has such neighbours.
   */
  private rankWithTypos(words: readonly string[], terms: Term[], limit: number, nothingFound: boolean): Int32Array | null {
    const marked: number[] = [];
    words.forEach((word, t) => {
      if ((terms[t].lo < terms[t].hi && !nothingFound) || typoAllowance(word) === 0) return;
      const near = this.fuzzy.near(word);
      for (const w of near) {
        if (this.typoTerms[w] === 0) marked.push(w);
        this.typoTerms[w] |= 1 << t;
      }
      if (near.length > 0) terms[t] = { ...terms[t], typos: near };
    });
    if (marked.length === 0) return null;
    try {
      return this.rank(terms, limit);
    } finally {
      for (const w of marked) this.typoTerms[w] = 0;
    }
  }

  /** The best `limit` movie indices matching every term, best first. */
  private rank(terms: readonly Term[], limit: number): Int32Array {
    let driver = terms[0];
    let fewest = Infinity;
    for (const term of terms) {
      const count = this.candidateCount(term);
      if (count === 0) return new Int32Array(0);
      if (count < fewest) {
        fewest = count;
        driver = term;
      }
    }
    const flat = new QueryTerms(terms);
    const best = new TopK(limit);
    if (this.stamp === MAX_STAMP) {
      this.seen.fill(0);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    for (let k = this.postingStart[driver.lo]; k < this.postingStart[driver.hi]; k++) this.consider(this.postings[k], flat, best, stamp);
    for (const w of driver.typos ?? []) {
      for (let k = this.postingStart[w]; k < this.postingStart[w + 1]; k++) this.consider(this.postings[k], flat, best, stamp);
    }
    for (let year = driver.yearFrom; year !== 0 && year <= driver.yearTo; year++) {
      for (const m of this.moviesByYear.get(year) ?? []) this.consider(m, flat, best, stamp);
    }
    return best.indices();
  }

  private term(word: string, yearPrefix = false): Term {
    const lo = lowerBound(this.words, (w) => w < word);
    const hi = lowerBound(this.words, (w) => w < word || w.startsWith(word));
    // A lone letter is a word still being typed, not a request for titles holding that letter as a word; a digit is a number.
    const exact = (word.length > 1 || /\d/.test(word)) && lo < hi && this.words[lo] === word ? lo : -1;
    return { lo, hi, exact, ...yearsOf(word, yearPrefix) };
  }

  private candidateCount(term: Term): number {
    const byTitle = this.postingStart[term.hi] - this.postingStart[term.lo];
    let byYear = 0;
    for (let year = term.yearFrom; year !== 0 && year <= term.yearTo; year++) byYear += this.moviesByYear.get(year)?.length ?? 0;
    let byTypo = 0;
    for (const w of term.typos ?? []) byTypo += this.postingStart[w + 1] - this.postingStart[w];
    return byTitle + byYear + byTypo;
  }

  /** Offers movie m to best when every term matches it, keyed by tier, then words matched exactly, then popularity. */
  private consider(m: number, query: QueryTerms, best: TopK, stamp: number): void {
    if (this.seen[m] === stamp) return;
    this.seen[m] = stamp;
    const { lo, hi, exact, yearFrom, yearTo, count } = query;
    const start = this.movieWordStart[m];
    const titleEnd = start + this.titleWordCount[m];
    const end = this.movieWordStart[m + 1];
    let inTitle = 0;
    let matched = 0;
    let typo = 0;
    let exactly = 0;
    for (let k = start; k < end; k++) {
      const w = this.movieWords[k];
      for (let t = 0; t < count; t++) {
        if (w >= lo[t] && w < hi[t]) {
          matched |= 1 << t;
          if (k < titleEnd) inTitle |= 1 << t;
          if (w === exact[t]) exactly |= 1 << t;
        }
      }
      typo |= this.typoTerms[w];
    }
    const movieYear = this.years[m];
    let byYear = 0;
    for (let t = 0; t < count; t++) {
      if (yearFrom[t] !== 0 && movieYear >= yearFrom[t] && movieYear <= yearTo[t]) {
        byYear |= 1 << t;
        if (yearFrom[t] === yearTo[t]) exactly |= 1 << t;
      }
    }
    matched |= byYear;
    if ((matched | typo) !== query.all) return;
    const tier =
      (inTitle | byYear) === query.all ? this.titleTier(m, query, byYear & ~inTitle) : matched === query.all ? Tier.AlternativeTitle : Tier.Fuzzy;
    const n = this.movies.length;
    best.offer(m, ((tier * (MAX_QUERY_WORDS + 1) + bitCount(exactly)) * n) + (n - 1 - this.popularityRank[m]));
  }

  /**
   * How the query's words, in order, meet movie m's title (every one already matches some title word or the year):
   * query words at the end matching only the year are left out ("heat 1995" is the title "Heat"; "shrek 2" is not
   * quite "Shrek" of 2001, while it is "Shrek 2").
   */
  private titleTier(m: number, query: QueryTerms, onlyByYear: number): Tier {
    let words = query.count;
    let wholeYears = true;
    while (words > 0 && (onlyByYear & (1 << (words - 1))) !== 0) {
      words--;
      if (query.yearFrom[words] !== query.yearTo[words]) wholeYears = false;
    }
    const from = this.sequenceStart[m];
    const length = this.sequenceStart[m + 1] - from;
    if (words === 0 || words > length) return Tier.AllWords;
    const skips = this.isArticle[this.sequence[from]] === 1 ? 1 : 0;
    for (let skip = 0; skip <= skips && skip + words <= length; skip++) {
      const at = from + skip;
      let t = 0;
      while (t < words - 1 && this.isWord(this.sequence[at + t], query.exact[t])) t++;
      const last = this.sequence[at + t];
      const digits = this.digitsOf[last];
      if (t === words - 1 && ((last >= query.lo[t] && last < query.hi[t]) || (digits >= query.lo[t] && digits < query.hi[t]))) {
        return skip === 0 && words === length && this.isWord(last, query.exact[t]) && wholeYears ? Tier.ExactTitle : Tier.TitlePrefix;
      }
    }
    return Tier.AllWords;
  }

  /** Whether title word w is the query's exact word, or its Roman numeral ("ii" for "2"). */
  private isWord(w: number, exact: number): boolean {
    return w === exact || (exact !== -1 && this.digitsOf[w] === exact);
  }
}

/** A query's terms as flat arrays for the inner loop. */
class QueryTerms {
  readonly count: number;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly exact: Int32Array;
  readonly yearFrom: Int32Array;
  readonly yearTo: Int32Array;
  /** The bit mask of every term matched. */
  readonly all: number;

  constructor(terms: readonly Term[]) {
    this.count = terms.length;
    this.lo = Int32Array.from(terms, (term) => term.lo);
    this.hi = Int32Array.from(terms, (term) => term.hi);
    this.exact = Int32Array.from(terms, (term) => term.exact);
    this.yearFrom = Int32Array.from(terms, (term) => term.yearFrom);
    this.yearTo = Int32Array.from(terms, (term) => term.yearTo);
    this.all = (1 << terms.length) - 1;
  }
}

/** The years a query word stands for: a 4-digit year itself; with yearPrefix, the years 1–3 digits start ("19" → 1900–1999). */
function yearsOf(word: string, yearPrefix: boolean): { yearFrom: number; yearTo: number } {
  const none = { yearFrom: 0, yearTo: 0 };
  if (!/^\d{1,4}$/.test(word) || (word.length < 4 && !yearPrefix)) return none;
  const yearFrom = Math.max(MIN_YEAR, Number(word.padEnd(4, '0')));
  const yearTo = Math.min(MAX_YEAR, Number(word.padEnd(4, '9')));
  return yearFrom <= yearTo ? { yearFrom, yearTo } : none;
}

function bitCount(bits: number): number {
  let count = 0;
  for (let b = bits; b !== 0; b &= b - 1) count++;
  return count;
}

/** The best `limit` items by key, kept sorted (limits are small). */
class TopK {
  private readonly keys: Float64Array;
  private readonly items: Int32Array;
  private size = 0;

  constructor(private readonly limit: number) {
    this.keys = new Float64Array(limit);
    this.items = new Int32Array(limit);
  }

  offer(item: number, key: number): void {
    if (this.size === this.limit && key <= this.keys[this.size - 1]) return;
    let k = this.size < this.limit ? this.size++ : this.size - 1;
    for (; k > 0 && this.keys[k - 1] < key; k--) {
      this.keys[k] = this.keys[k - 1];
      this.items[k] = this.items[k - 1];
    }
    this.keys[k] = key;
    this.items[k] = item;
  }

  indices(): Int32Array {
    return this.items.slice(0, this.size);
  }
}

/** The first index where before(words[index]) is false; before must be true then false along the array. */
function lowerBound(words: readonly string[], before: (word: string) => boolean): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(words[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function unique(words: string[]): string[] {
  return [...new Set(words)];
}

function idOf(ids: Map<string, number>, word: string): number {
  let id = ids.get(word);
  if (id === undefined) {
    id = ids.size;
    ids.set(word, id);
  }
  return id;
}
