import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRatings } from '../../src/catalog/ratings.js';
import { fileLinePattern, tempFile } from './temp-files.js';

const HEADER = 'userId,movieId,rating,timestamp\n';

async function rejectsAt(name: string, content: string, line: number | null, pattern: RegExp, known?: number[]): Promise<void> {
  const path = tempFile(name, content);
  const options = known ? { knownMovieIds: new Set(known) } : {};
  await assert.rejects(loadRatings(path, options), { name: 'DataFormatError', message: fileLinePattern(path, line, pattern) });
}

test('malformed lines name the file and line', async () => {
  await rejectsAt('ratings.csv', `${HEADER}1,1,4.0,1\n1,2,4.0\n`, 3, /expected 4 fields separated by ",", found 3/);
  await rejectsAt('ratings.csv', `${HEADER}1,1,4.0,1\r\n1,2,4.0,1,9\r\n`, 3, /expected 4 fields separated by ",", found 5/);
  await rejectsAt('ratings.csv', `${HEADER}1,1,4.0,1\nabc,2,4.0,1\n`, 3, /userId must be a non-negative integer, found "abc"/);
  await rejectsAt('ratings.csv', `${HEADER}1,-2,4.0,1\n`, 2, /movieId must be a non-negative integer, found "-2"/);
  await rejectsAt('ratings.csv', `${HEADER}1,99999999999,4.0,1\n`, 2, /movieId must be a non-negative integer/);
  await rejectsAt('ratings.csv', `${HEADER}1,2,four,1\n`, 2, /rating must be a decimal number, found "four"/);
  await rejectsAt('ratings.csv', `${HEADER}1,2,,1\n`, 2, /rating must be a decimal number, found ""/);
  await rejectsAt('ratings.csv', `${HEADER}1,2,4.0,x\n`, 2, /timestamp must be a non-negative integer, found "x"/);
  await rejectsAt('ratings.csv', `${HEADER}1,2,"4.0",1\n`, 2, /rating must be a decimal number/);
  await rejectsAt('ratings.dat', '1::2::4::1\n1:3::4::1\n', 2, /expected 4 fields separated by "::", found 3/);
  await rejectsAt('u.data', '1\t2\t4\t1\n1 3 4 1\n', 2, /expected 4 fields separated by tabs, found 1/);
});

test('a rating outside 0.5–5 or not a finite number is an error with its line', async () => {
  await rejectsAt('ratings.csv', `${HEADER}1,1,4.0,1\n1,2,7,1\n`, 3, /rating 7 is outside 0\.5–5/);
  await rejectsAt('ratings.csv', `${HEADER}1,2,0,1\n`, 2, /rating 0 is outside 0\.5–5/);
  await rejectsAt('ratings.csv', `${HEADER}1,2,5.5,1\n`, 2, /rating 5\.5 is outside 0\.5–5/);
  await rejectsAt('ratings.csv', `${HEADER}1,2,NaN,1\n`, 2, /rating must be a decimal number, found "NaN"/);
  await rejectsAt('ratings.csv', `${HEADER}1,2,Infinity,1\n`, 2, /rating must be a decimal number, found "Infinity"/);
  await rejectsAt('ratings.csv', `${HEADER}1,2,1e400,1\n`, 2, /rating must be a decimal number/);
});

test('a duplicate (user, movie) names the second line and the first', async () => {
  await rejectsAt('ratings.csv', `${HEADER}1,1,4,1\n2,5,3,1\n1,2,4,1\n2,5,1,9\n`, 5, /duplicate rating of movieId 5 by userId 2 \(first at line 3\)/);
  await rejectsAt('u.data', '3\t9\t4\t1\n3\t9\t4\t1\n', 2, /duplicate rating of movieId 9 by userId 3 \(first at line 1\)/);
});

test('an empty file, a header alone, or a wrong header is an error', async () => {
  await rejectsAt('ratings.csv', '', null, /empty file, no ratings/);
  await rejectsAt('ratings.dat', '', null, /empty file, no ratings/);
  await rejectsAt('ratings.csv', HEADER, 1, /header only, no ratings/);
  await rejectsAt('ratings.csv', 'userId,movieId,rating,timestamp', 1, /header only, no ratings/);
  await rejectsAt('ratings.csv', 'user,movie,rating,timestamp\n1,1,4,1\n', 1, /expected header "userId,movieId,rating,timestamp", found "user,movie,rating,timestamp"/);
  await rejectsAt('ratings.csv', '1,1,4,1\n', 1, /expected header/);
  await rejectsAt('ratings.dat', '\n\n', null, /only blank lines, no ratings/);
});

test('with the catalog given, a movie it does not hold is an error at its first line', async () => {
  await rejectsAt('ratings.csv', `${HEADER}1,1,4,1\n1,8,4,1\n2,8,4,1\n2,1,4,1\n`, 3, /movieId 8 is not in the movie catalog/, [1, 2, 3]);
  const path = tempFile('ratings.csv', `${HEADER}1,1,4,1\n2,3,4,1\n`);
  const m = await loadRatings(path, { knownMovieIds: new Set([1, 2, 3]) });
  assert.equal(m.itemIds.length, 2, 'known movies load');
});

test('a file name that tells no format is refused unless the format is given', async () => {
  const path = tempFile('ratings.txt', '1\t2\t4\t1\n');
  await assert.rejects(loadRatings(path), { message: /cannot tell the ratings format/ });
  assert.equal((await loadRatings(path, { format: 'tsv' })).byUser.indptr[1], 1);
});
