/** Word wrapping for SVG text, which has none of its own: by an estimated character width, long words broken. */

export interface WrapOptions {
  /** Characters that fit on one line. */
  readonly perLine: number;
  /** Lines at most; the last one ends with "…" when the text did not fit. */
  readonly maxLines: number;
}

export interface Wrapped {
  readonly lines: string[];
  /** Some text did not fit in maxLines. */
  readonly cut: boolean;
  /** A word longer than a line was broken with a hyphen. */
  readonly broken: boolean;
}

/** The lines of `text` (whitespace collapsed), each at most perLine characters. */
export function wrapText(text: string, { perLine, maxLines }: WrapOptions): Wrapped {
  const width = Math.max(1, Math.floor(perLine));
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let line = '';
  let broken = false;
  for (let word of words) {
    while (word.length > width) {
      broken = true;
      // A word longer than a line: fill the current line, then break the word.
      if (line !== '') {
        lines.push(line);
        line = '';
      }
      lines.push(word.slice(0, width - 1) + '-');
      word = word.slice(width - 1);
    }
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  if (lines.length <= maxLines) return { lines, cut: false, broken };
  const kept = lines.slice(0, Math.max(1, maxLines));
  const last = kept[kept.length - 1];
  kept[kept.length - 1] = `${last.length >= width ? last.slice(0, width - 1) : last}…`;
  return { lines: kept, cut: true, broken };
}
