// Letters that NFKD leaves whole but readers treat as plain Latin letters.
const LETTER_FOLDS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ł: 'l', þ: 'th', ð: 'd', ı: 'i', ħ: 'h' };
const SPECIAL_LETTERS = /[ßæœøđłþðıħ]/g;
const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHES = /['’‘`´]/g;
const NOT_WORD = /[^\p{L}\p{N}]+/u;
// Words joined by hyphens or dots ("Spider-Man", "S.W.A.T.") are also findable as one word ("spiderman", "swat").
const JOINED = /[\p{L}\p{N}]+(?:[-.][\p{L}\p{N}]+)+/gu;

/** Lower case without accents: "Léon" → "leon", "Straße" → "strasse", "Æon" → "aeon". */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(SPECIAL_LETTERS, (letter) => LETTER_FOLDS[letter]);
}

/** The searchable words of a title or query, folded; apostrophes vanish ("Schindler's" → "schindlers"). */
export function foldedWords(text: string): string[] {
  return foldText(text).replace(APOSTROPHES, '').split(NOT_WORD).filter((word) => word !== '');
}

/** Extra one-word spellings of hyphen- or dot-joined words: "Spider-Man" → ["spiderman"]. */
export function joinedWords(text: string): string[] {
  const folded = foldText(text).replace(APOSTROPHES, '');
  return Array.from(folded.matchAll(JOINED), (match) => match[0].replace(/[-.]/g, ''));
}

const ROMAN_NUMERALS = ['ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x', 'xi', 'xii', 'xiii', 'xiv', 'xv', 'xvi', 'xvii', 'xviii', 'xix', 'xx'];

/** Sequel numbers written in Roman numerals, as digits people type: ["rocky", "iii"] → ["3"]; "i" stays a word. */
export function romanNumeralValues(words: readonly string[]): string[] {
  const values: string[] = [];
  for (const word of words) {
    const k = ROMAN_NUMERALS.indexOf(word);
    if (k !== -1) values.push(String(k + 2));
  }
  return values;
}
