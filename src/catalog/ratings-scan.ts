import { open } from 'node:fs/promises';
import { DataFormatError } from './errors.js';

/** ratings.csv (userId,movieId,rating[,timestamp] with a header), ml-1m ratings.dat (u::m::r::t), ml-100k u.data (tab-separated). */
export type RatingsFormat = 'csv' | 'dat' | 'tsv';

/** Receives every rating of a scan in file order; throwing stops the scan. */
export interface RatingSink {
  add(user: number, movie: number, rating: number, line: number): void;
  /** Called once early in the scan with an estimate of the number of ratings in the file. */
  expect?(ratings: number): void;
}

export interface ScanSummary {
  /** Number of lines read, header included. */
  readonly lines: number;
  readonly ratings: number;
}

// Big reads keep syscall and await overhead negligible; a line longer than this is an error.
const CHUNK_BYTES = 8 << 20;
const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const ZERO = 0x30;
const MAX_ID = 2 ** 31 - 1;
const MIN_RATING = 0.5;
const MAX_RATING = 5;
const HEADER_COLUMNS = ['userId', 'movieId', 'rating', 'timestamp'];

/**
 * Parses a ratings file byte by byte in large chunks, with no per-line strings or objects, and hands each
 * rating to sink. Any malformed line throws a DataFormatError naming the file and line.
 */
export async function scanRatingsFile(path: string, format: RatingsFormat, sink: RatingSink): Promise<ScanSummary> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const parser = new RatingsLineParser(path, format, sink);
    let buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, size + 1));
    let carry = 0;
    let position = 0;
    let first = true;
    let estimated = false;
    for (;;) {
      if (carry === buffer.length) {
        if (buffer.length >= CHUNK_BYTES) throw new DataFormatError(path, parser.line + 1, `line longer than ${CHUNK_BYTES} bytes`);
        buffer = Buffer.concat([buffer, Buffer.alloc(buffer.length)]);
      }
      const { bytesRead } = await handle.read(buffer, carry, buffer.length - carry, position);
      position += bytesRead;
      const end = carry + bytesRead;
      const atEnd = bytesRead === 0;
      let start = 0;
      if (first) {
        start = parser.begin(buffer, end, atEnd);
        if (start < 0) {
          carry = end; // the header line is not complete yet
          continue;
        }
        first = false;
      }
      const consumed = parser.parseLines(buffer, start, end, atEnd);
      if (atEnd) break;
      if (!estimated && consumed > start) {
        estimated = true; // the first chunk's ratings per byte, times the file size
        sink.expect?.(Math.ceil((parser.ratings / (consumed - start)) * size * 1.02) + 16);
      }
      buffer.copyWithin(0, consumed, end);
      carry = end - consumed;
    }
    if (size === 0) throw new DataFormatError(path, null, 'empty file, no ratings');
    if (parser.ratings === 0) {
      throw new DataFormatError(path, parser.hasHeader ? 1 : null, parser.hasHeader ? 'header only, no ratings' : 'only blank lines, no ratings');
    }
    return { lines: parser.line, ratings: parser.ratings };
  } finally {
    await handle.close();
  }
}

/** The state of one scan: the current line number and the format's field layout. */
class RatingsLineParser {
  line = 0;
  ratings = 0;
  hasHeader: boolean;
  /** 3 or 4: a csv header may leave the timestamp out. */
  private fieldCount = 4;
  private readonly separator: number;
  private readonly separatorLength: number;

  constructor(
    private readonly file: string,
    private readonly format: RatingsFormat,
    private readonly sink: RatingSink,
  ) {
    this.hasHeader = format === 'csv';
    this.separator = format === 'csv' ? 0x2c : format === 'dat' ? 0x3a : 0x09;
    this.separatorLength = format === 'dat' ? 2 : 1;
  }

  /** Skips a byte-order mark and checks the csv header; the offset of the first data line, or -1 when the header is incomplete. */
  begin(buffer: Buffer, end: number, atEnd: boolean): number {
    const start = end >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
    if (!this.hasHeader) return start;
    let eol = buffer.indexOf(LF, start);
    if (eol < 0 || eol >= end) {
      if (!atEnd) return -1;
      eol = end;
    }
    if (eol === start && atEnd) return start; // empty file: reported after the scan
    const header = buffer.toString('utf8', start, eol > start && buffer[eol - 1] === CR ? eol - 1 : eol);
    const columns = header.split(',');
    const expected = HEADER_COLUMNS.slice(0, columns.length);
    if ((columns.length !== 3 && columns.length !== 4) || columns.join(',') !== expected.join(',')) {
      throw new DataFormatError(this.file, 1, `expected header "${HEADER_COLUMNS.join(',')}", found "${header}"`);
    }
    this.fieldCount = columns.length;
    this.line = 1;
    return Math.min(eol + 1, end);
  }

  /** Parses the complete lines of buffer[start, end) (and a last unterminated one when atEnd); the offset where parsing stopped. */
  parseLines(buffer: Buffer, start: number, end: number, atEnd: boolean): number {
    let p = start;
    while (p < end) {
      // A plain loop beats a native indexOf call per (short) line.
      let eol = p;
      while (eol < end && buffer[eol] !== LF) eol++;
      if (eol >= end) {
        if (!atEnd) return p;
        eol = end;
      }
      this.line++;
      const lineEnd = eol > p && buffer[eol - 1] === CR ? eol - 1 : eol;
      if (lineEnd > p) this.parseLine(buffer, p, lineEnd);
      p = eol + 1;
    }
    return end;
  }

  private parseLine(b: Buffer, from: number, to: number): void {
    const sep = this.separator;
    const sepLength = this.separatorLength;
    let p = from;
    let c: number;

    let user = 0;
    let digits = 0;
    while (p < to && (c = b[p] - ZERO) >= 0 && c <= 9) {
      user = user * 10 + c;
      p++;
      digits++;
    }
    if (digits === 0 || digits > 10 || user > MAX_ID || b[p] !== sep || (sepLength === 2 && b[p + 1] !== sep)) return this.fail(b, from, to);
    p += sepLength;

    let movie = 0;
    digits = 0;
    while (p < to && (c = b[p] - ZERO) >= 0 && c <= 9) {
      movie = movie * 10 + c;
      p++;
      digits++;
    }
    if (digits === 0 || digits > 10 || movie > MAX_ID || b[p] !== sep || (sepLength === 2 && b[p + 1] !== sep)) return this.fail(b, from, to);
    p += sepLength;

    let whole = 0;
    digits = 0;
    while (p < to && (c = b[p] - ZERO) >= 0 && c <= 9) {
      whole = whole * 10 + c;
      p++;
      digits++;
    }
    if (digits === 0 || digits > 9) return this.fail(b, from, to);
    let rating = whole;
    if (p < to && b[p] === DOT) {
      p++;
      let fraction = 0;
      let scale = 1;
      while (p < to && (c = b[p] - ZERO) >= 0 && c <= 9) {
        fraction = fraction * 10 + c;
        scale *= 10;
        p++;
      }
      if (scale === 1 || scale > 1e9) return this.fail(b, from, to);
      rating += fraction / scale;
    }
    if (!(rating >= MIN_RATING && rating <= MAX_RATING)) return this.fail(b, from, to);

    if (this.fieldCount === 4) {
      if (p >= to || b[p] !== sep || (sepLength === 2 && b[p + 1] !== sep)) return this.fail(b, from, to);
      p += sepLength;
      digits = 0;
      while (p < to && (c = b[p] - ZERO) >= 0 && c <= 9) {
        p++;
        digits++;
      }
      if (digits === 0) return this.fail(b, from, to);
    }
    if (p !== to) return this.fail(b, from, to);
    this.ratings++;
    this.sink.add(user, movie, rating, this.line);
  }

  /** The slow path: works out what is wrong with the line and throws. */
  private fail(b: Buffer, from: number, to: number): void {
    throw new DataFormatError(this.file, this.line, describeBadLine(b.toString('utf8', from, to), this.format, this.fieldCount));
  }
}

const FIELD_NAMES = ['userId', 'movieId', 'rating', 'timestamp'];

/** What makes a ratings line unacceptable, in words; the same grammar as the fast parser. */
export function describeBadLine(text: string, format: RatingsFormat, fieldCount: number): string {
  const separator = format === 'csv' ? ',' : format === 'dat' ? '::' : '\t';
  const fields = text.split(separator);
  const shownSeparator = format === 'tsv' ? 'tabs' : `"${separator}"`;
  if (fields.length !== fieldCount) return `expected ${fieldCount} fields separated by ${shownSeparator}, found ${fields.length}: "${text}"`;
  for (const k of [0, 1]) {
    if (!/^\d{1,10}$/.test(fields[k]) || Number(fields[k]) > MAX_ID) {
      return `${FIELD_NAMES[k]} must be a non-negative integer, found "${fields[k]}"`;
    }
  }
  if (!/^\d{1,9}(\.\d{1,9})?$/.test(fields[2])) return `rating must be a decimal number, found "${fields[2]}"`;
  const rating = Number(fields[2]);
  if (!(rating >= MIN_RATING && rating <= MAX_RATING)) return `rating ${fields[2]} is outside ${MIN_RATING}–${MAX_RATING}`;
  if (fieldCount === 4 && !/^\d+$/.test(fields[3])) return `timestamp must be a non-negative integer, found "${fields[3]}"`;
  return `malformed line "${text}"`;
}
