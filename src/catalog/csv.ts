import { readFile } from 'node:fs/promises';
import { decodeText } from './decode.js';
import { DataFormatError } from './errors.js';

/** One CSV record and the 1-based line it starts on. */
export interface CsvRow {
  readonly line: number;
  readonly fields: string[];
}

/** A CSV file's header and its records, each with the header's number of fields. */
export interface CsvTable {
  readonly header: string[];
  readonly rows: CsvRow[];
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * RFC 4180 records of text: quoted fields may hold commas, line breaks and "" for a quote;
 * lines end in CRLF or LF; a leading BOM, blank lines and a missing final newline are fine.
 */
export function* parseCsv(text: string, file: string): Generator<CsvRow> {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const c0 = text.charCodeAt(i);
    if (c0 === LF || c0 === CR) {
      i += c0 === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      continue;
    }
    const rowLine = line;
    const fields: string[] = [];
    for (;;) {
      let c: number;
      if (text.charCodeAt(i) === QUOTE) {
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) throw new DataFormatError(file, rowLine, 'unterminated quoted field');
          line += countLineFeeds(text, from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        fields.push(value);
        c = text.charCodeAt(i);
        if (i < n && c !== COMMA && c !== LF && c !== CR) {
          throw new DataFormatError(file, line, `unexpected "${text[i]}" after a closing quote`);
        }
      } else {
        let j = i;
        for (; j < n; j++) {
          c = text.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE) throw new DataFormatError(file, line, 'quote inside an unquoted field');
        }
        fields.push(text.slice(i, j));
        i = j;
        c = text.charCodeAt(i);
      }
      if (i >= n) break;
      if (c === COMMA) {
        i++;
        continue;
      }
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      break;
    }
    yield { line: rowLine, fields };
  }
}

/** Header and records of text; every record must have the header's field count (and the header, when given, these names). */
export function readCsvTable(text: string, file: string, expectedHeader?: readonly string[]): CsvTable {
  const records = parseCsv(text, file);
  const first = records.next();
  if (first.done) throw new DataFormatError(file, null, 'empty file, expected a header line');
  const header = first.value.fields;
  if (expectedHeader && header.join(',') !== expectedHeader.join(',')) {
    throw new DataFormatError(file, first.value.line, `expected header "${expectedHeader.join(',')}", found "${header.join(',')}"`);
  }
  const rows: CsvRow[] = [];
  for (const row of records) {
    if (row.fields.length !== header.length) {
      throw new DataFormatError(file, row.line, `expected ${header.length} fields as in the header, found ${row.fields.length}`);
    }
    rows.push(row);
  }
  return { header, rows };
}

/** readCsvTable over a file (UTF-8, or Latin-1 when it is not valid UTF-8). */
export async function readCsvFile(path: string, expectedHeader?: readonly string[]): Promise<CsvTable> {
  return readCsvTable(decodeText(await readFile(path)), path, expectedHeader);
}

function countLineFeeds(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = text.indexOf('\n', from); k >= 0 && k < to; k = text.indexOf('\n', k + 1)) count++;
  return count;
}
