import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseCsv, readCsvFile, readCsvTable } from '../../src/catalog/csv.js';
import { movielensDir } from '../support/movielens.js';
import { fileLinePattern, tempFile } from './temp-files.js';

const rows = (text: string) => [...parseCsv(text, 'f.csv')].map((row) => [row.line, ...row.fields]);

test('quoted fields keep commas, "" becomes a quote, and line breaks inside quotes count for line numbers', () => {
  const text = 'id,title\n1,"American President, The (1995)"\n2,"11\'09""01"\n3,"two\nlines"\n4,plain\n';
  assert.deepEqual(rows(text), [
    [1, 'id', 'title'],
    [2, '1', 'American President, The (1995)'],
    [3, '2', '11\'09"01'],
    [4, '3', 'two\nlines'],
    [6, '4', 'plain'],
  ]);
});

test('CRLF and LF, a BOM, blank lines and a missing final newline all give the same records', () => {
  const lf = 'a,b\n1,"x, y"\n\n2,\n';
  const expected = rows(lf);
  assert.deepEqual(rows(lf.replaceAll('\n', '\r\n')), expected);
  assert.deepEqual(rows('\ufeff' + lf), expected);
  assert.deepEqual(rows(lf.slice(0, -1)), expected);
  assert.deepEqual(expected, [[1, 'a', 'b'], [2, '1', 'x, y'], [4, '2', '']]);
});

test('a quoted CRLF stays inside the field', () => {
  assert.deepEqual(rows('a\r\n"x\r\ny"\r\nz'), [[1, 'a'], [2, 'x\r\ny'], [4, 'z']]);
});

test('an unterminated quote names the file and the line the record starts on', () => {
  assert.throws(() => rows('a,b\n1,2\n3,"open\n4,5\n'), { message: /^f\.csv:3: unterminated quoted field/ });
});

test('a quote inside an unquoted field, or text after a closing quote, is an error with its line', () => {
  assert.throws(() => rows('a,b\n1,x"y\n'), { message: /^f\.csv:2: quote inside an unquoted field/ });
  assert.throws(() => rows('a,b\n1,"x"y\n'), { message: /^f\.csv:2: unexpected "y" after a closing quote/ });
});

test('readCsvTable checks the header and every record against its field count', () => {
  assert.deepEqual(readCsvTable('a,b\n1,2\n', 'f.csv', ['a', 'b']).rows, [{ line: 2, fields: ['1', '2'] }]);
  assert.throws(() => readCsvTable('a,b\n1,2\n3\n', 'f.csv'), { message: /^f\.csv:3: expected 2 fields as in the header, found 1/ });
  assert.throws(() => readCsvTable('a,b\n1,2,3\n', 'f.csv'), { message: /^f\.csv:2: expected 2 fields as in the header, found 3/ });
  assert.throws(() => readCsvTable('x,y\n', 'f.csv', ['a', 'b']), { message: /^f\.csv:1: expected header "a,b", found "x,y"/ });
  assert.throws(() => readCsvTable('', 'f.csv'), { message: /^f\.csv: empty file/ });
});

test('readCsvFile names the real path in its errors', async () => {
  const path = tempFile('movies.csv', 'movieId,title,genres\r\n1,"Heat (1995),Action\r\n');
  await assert.rejects(readCsvFile(path), { message: fileLinePattern(path, 2, /unterminated quoted field/) });
});

test('the real movies.csv: 9,742 records, and the quoted title with a comma is one field', async () => {
  const table = await readCsvFile(join(movielensDir(), 'movies.csv'), ['movieId', 'title', 'genres']);
  assert.equal(table.rows.length, 9742);
  const president = table.rows.find((row) => row.fields[0] === '11');
  assert.deepEqual(president, { line: 12, fields: ['11', 'American President, The (1995)', 'Comedy|Drama|Romance'] });
  const september = table.rows.find((row) => row.fields[0] === '7789');
  assert.equal(september?.fields[1], '11\'09"01 - September 11 (2002)');
});
