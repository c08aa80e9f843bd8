import { DataFormatError } from './errors.js';

const MAX_ID = 2 ** 31 - 1;

/** A non-negative integer id that fits an Int32Array, or a DataFormatError naming file, line and column. */
export function parseId(text: string, file: string, line: number, column: string): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) > MAX_ID) {
    throw new DataFormatError(file, line, `${column} must be a non-negative integer, found "${text}"`);
  }
  return Number(text);
}

/** The lines of a text file with their 1-based numbers, blank lines left out. */
export function nonBlankLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const content = lines[k].endsWith('\r') ? lines[k].slice(0, -1) : lines[k];
    if (content.trim() !== '') out.push({ line: k + 1, text: content });
  }
  return out;
}
