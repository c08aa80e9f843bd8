import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import yazl from 'yazl';
import { ML_LATEST_SMALL, MovielensUnavailableError, resolveMovielensDir, type MovielensDownloadSpec } from '../../src/bootstrap/movielens.js';
import { loadDataset } from '../../src/catalog/dataset.js';
import { createLogger } from '../../src/log.js';
import { movielensDir } from '../support/movielens.js';

/** What the local server answers on each path; `requests` counts every request. */
type Route = (res: ServerResponse) => void;
const routes = new Map<string, Route>();
const requests = new Map<string, number>();
let server: Server;
let base: string;
const files = new Map<string, Buffer>();
let goodZip: Buffer;

function zipOf(entries: [name: string, data: Buffer | null][], compress = false): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) {
    if (data === null) zip.addEmptyDirectory(name);
    else zip.addBuffer(data, name, { compress });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** The official layout: ml-latest-small/ and its five files, the real bytes (so the real checksums apply). */
function officialEntries(change: Partial<Record<string, Buffer>> = {}): [string, Buffer | null][] {
  return [['ml-latest-small/', null], ...[...files].map(([name, data]): [string, Buffer] => [`ml-latest-small/${name}`, change[name] ?? data])];
}

function serve(body: Buffer, headers: Record<string, string> = {}): Route {
  return (res) => {
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(body.length), ...headers });
    res.end(body);
  };
}

function spec(path: string): MovielensDownloadSpec {
  return { ...ML_LATEST_SMALL, url: `${base}${path}` };
}

function tempDataDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'mh-movielens-')), 'data');
}

/** The resolver as the server calls it, on the local server, without the developers' copy, quietly. */
function resolveFrom(path: string, dataDir: string, extra: { configured?: string; stallTimeoutMs?: number } = {}): Promise<string> {
  return resolveMovielensDir({
    configured: extra.configured,
    dataDir,
    download: spec(path),
    developerDir: null,
    log: createLogger({ NODE_ENV: 'test' }),
    progress: { write: () => true },
    stallTimeoutMs: extra.stallTimeoutMs,
  });
}

/** Fails unless `dataDir` holds nothing: no dataset folder, no temporary leftovers. */
function assertNothingLeft(dataDir: string): void {
  assert.deepEqual(existsSync(dataDir) ? readdirSync(dataDir) : [], []);
}

before(async () => {
  for (const file of ML_LATEST_SMALL.files) files.set(file.name, readFileSync(join(movielensDir(), file.name)));
  goodZip = await zipOf(officialEntries(), true);
  routes.set('/good.zip', serve(goodZip));
  routes.set('/chunked.zip', (res) => {
    res.writeHead(200, { 'content-type': 'application/zip' });
    res.end(goodZip);
  });
  routes.set('/missing.zip', (res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('not here'));
  routes.set('/broken.zip', (res) => res.writeHead(500).end('oops'));
  routes.set('/dropped.zip', (res) => {
    res.writeHead(200, { 'content-length': String(goodZip.length) });
    res.write(goodZip.subarray(0, goodZip.length >> 1), () => res.socket?.destroy());
  });
  routes.set('/short.zip', (res) => {
    res.writeHead(200, { 'content-type': 'application/zip' });
    res.end(goodZip.subarray(0, goodZip.length >> 1));
  });
  routes.set('/stalled.zip', (res) => {
    res.writeHead(200, { 'content-length': String(goodZip.length) });
    res.write(goodZip.subarray(0, 1000));
  });
  const ratings = Buffer.from(files.get('ratings.csv')!);
  ratings[ratings.length >> 1] ^= 0x01;
  routes.set('/corrupt.zip', serve(await zipOf(officialEntries({ 'ratings.csv': ratings }))));
  routes.set('/incomplete.zip', serve(await zipOf(officialEntries().filter(([name]) => !name.endsWith('tags.csv')))));
  // yazl refuses to write "../evil", so the name is patched in afterwards (same length; names are not checksummed).
  const evil = await zipOf([...officialEntries(), ['AAAevil', Buffer.from('pwned')]]);
  routes.set('/evil.zip', serve(Buffer.from(evil.toString('latin1').replaceAll('AAAevil', '../evil'), 'latin1')));
  // Zeros inflate 1000:1: a 20 MB movies.csv in a ~20 kB zip.
  routes.set('/bomb.zip', serve(await zipOf(officialEntries({ 'movies.csv': Buffer.alloc(20e6) }), true)));
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.set(path, (requests.get(path) ?? 0) + 1);
    (routes.get(path) ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('no MovieLens anywhere: the zip is downloaded into DATA_DIR, verified, loads, and is not downloaded again', async () => {
  const dataDir = tempDataDir();
  const lines: string[] = [];
  const dir = await resolveMovielensDir({
    configured: undefined,
    dataDir,
    download: spec('/good.zip'),
    developerDir: null,
    progress: { write: (text: string) => lines.push(text) },
  });
  assert.equal(dir, join(dataDir, 'ml-latest-small'));
  assert.deepEqual(readdirSync(dataDir), ['ml-latest-small']);
  assert.deepEqual(readdirSync(dir).sort(), ['README.txt', 'links.csv', 'movies.csv', 'ratings.csv', 'tags.csv']);
  assert.match(lines.join(''), /good\.zip 100% .* done/);
  const dataset = await loadDataset(dir);
  assert.equal(dataset.movies.length, 9742);
  assert.equal(requests.get('/good.zip'), 1);

  assert.equal(await resolveFrom('/good.zip', dataDir), dir);
  assert.equal(requests.get('/good.zip'), 1, 'the second start does not download again');
});

test('without Content-Length the download still completes', async () => {
  const dataDir = tempDataDir();
  const lines: string[] = [];
  const dir = await resolveMovielensDir({ configured: undefined, dataDir, download: spec('/chunked.zip'), developerDir: null, progress: { write: (t: string) => lines.push(t) } });
  assert.equal(readFileSync(join(dir, 'ratings.csv')).length, files.get('ratings.csv')!.length);
  assert.match(lines.join(''), /\d+ bytes in .* done/);
});

test('a leftover temporary folder of a dead download is removed by the next one', async () => {
  const dataDir = tempDataDir();
  const leftover = join(dataDir, '.ml-latest-small.partial-999999999-abcdef');
  mkdirSync(join(leftover, 'ml-latest-small'), { recursive: true });
  writeFileSync(join(leftover, 'download.zip'), 'half');
  await resolveFrom('/good.zip', dataDir);
  assert.deepEqual(readdirSync(dataDir), ['ml-latest-small']);
});

test('a changed byte fails the checksum and nothing is left in place', async () => {
  const dataDir = tempDataDir();
  await assert.rejects(resolveFrom('/corrupt.zip', dataDir), (error: Error) => {
    assert.ok(error instanceof MovielensUnavailableError);
    assert.match(error.message, /ratings\.csv fails its checksum/);
    assert.match(error.message, /MOVIELENS_DIR=/);
    return true;
  });
  assertNothingLeft(dataDir);
});

test('a zip without an expected file is refused', async () => {
  const dataDir = tempDataDir();
  await assert.rejects(resolveFrom('/incomplete.zip', dataDir), /tags\.csv is missing from the zip/);
  assertNothingLeft(dataDir);
});

test('HTTP errors stop with one message naming the status and MOVIELENS_DIR', async () => {
  for (const [path, status] of [['/missing.zip', /HTTP 404/], ['/broken.zip', /HTTP 500/]] as const) {
    const dataDir = tempDataDir();
    await assert.rejects(resolveFrom(path, dataDir), (error: Error) => {
      assert.ok(error instanceof MovielensUnavailableError);
      assert.match(error.message, /^Could not download MovieLens ml-latest-small: /);
      assert.match(error.message, status);
      assert.match(error.message, /MOVIELENS_DIR=\/path\/to\/ml-latest-small/);
      return true;
    });
    assertNothingLeft(dataDir);
  }
});

test('no server at all (no network) is reported the same way', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/ml-latest-small.zip`;
  await new Promise((resolve) => closed.close(resolve));
  const dataDir = tempDataDir();
  await assert.rejects(
    resolveMovielensDir({ configured: undefined, dataDir, download: { ...ML_LATEST_SMALL, url }, developerDir: null, progress: { write: () => true } }),
    /could not reach .*ECONNREFUSED.*MOVIELENS_DIR=/s,
  );
  assertNothingLeft(dataDir);
});

test('a connection dropped mid-way, or a body cut short, fails and leaves nothing', async () => {
  const dropped = tempDataDir();
  await assert.rejects(resolveFrom('/dropped.zip', dropped), /connection broke after \d+ of \d+ bytes|ended after \d+ of \d+ bytes/);
  assertNothingLeft(dropped);
  const short = tempDataDir();
  await assert.rejects(resolveFrom('/short.zip', short), /not a readable zip|zip is damaged/);
  assertNothingLeft(short);
});

test('a stalled download is given up after the stall timeout', async () => {
  const dataDir = tempDataDir();
  const started = Date.now();
  await assert.rejects(resolveFrom('/stalled.zip', dataDir, { stallTimeoutMs: 150 }), /stalled: no data for 150 ms/);
  assert.ok(Date.now() - started < 5000);
  assertNothingLeft(dataDir);
});

test('a zip with a ../ entry is refused', async () => {
  const dataDir = tempDataDir();
  await assert.rejects(resolveFrom('/evil.zip', dataDir), /unsafe entry name .*\.\.\/evil.*refused/);
  assertNothingLeft(dataDir);
  assert.equal(existsSync(join(dataDir, '..', 'evil')), false);
});

test('an entry bigger than expected (a zip bomb) is refused before it is inflated', async () => {
  const dataDir = tempDataDir();
  await assert.rejects(resolveFrom('/bomb.zip', dataDir), /movies\.csv in the zip is larger than expected \(20000000 bytes, expected 494431\); refused/);
  assertNothingLeft(dataDir);
});

test('MOVIELENS_DIR is used as set, and a folder without a dataset is an error naming it', async () => {
  assert.equal(await resolveFrom('/good.zip', tempDataDir(), { configured: movielensDir() }), movielensDir());
  const empty = mkdtempSync(join(tmpdir(), 'mh-movielens-empty-'));
  const dataDir = tempDataDir();
  const before = requests.get('/good.zip');
  await assert.rejects(resolveFrom('/good.zip', dataDir, { configured: empty }), (error: Error) => {
    assert.ok(error instanceof MovielensUnavailableError);
    assert.ok(error.message.startsWith(`MOVIELENS_DIR=${empty}: `));
    assert.match(error.message, /no MovieLens dataset found/);
    return true;
  });
  await assert.rejects(resolveFrom('/good.zip', dataDir, { configured: join(empty, 'nope') }), /^MovielensUnavailableError: MOVIELENS_DIR=.*nope does not exist/);
  assert.equal(requests.get('/good.zip'), before, 'never downloads when MOVIELENS_DIR is set');
  assertNothingLeft(dataDir);
});

test('unset MOVIELENS_DIR: the developers copy beside the repository wins when it is there', async () => {
  const dataDir = tempDataDir();
  const dir = await resolveMovielensDir({ configured: undefined, dataDir, download: spec('/good.zip'), developerDir: movielensDir() });
  assert.equal(dir, movielensDir());
  assertNothingLeft(dataDir);
});

test('an incomplete DATA_DIR/ml-latest-small is reported, not deleted or downloaded over', async () => {
  const dataDir = tempDataDir();
  mkdirSync(join(dataDir, 'ml-latest-small'), { recursive: true });
  writeFileSync(join(dataDir, 'ml-latest-small', 'movies.csv'), files.get('movies.csv')!);
  const before = requests.get('/good.zip');
  await assert.rejects(resolveFrom('/good.zip', dataDir), /ml-latest-small is there but incomplete: README\.txt is missing.*Delete it/);
  assert.equal(requests.get('/good.zip'), before);
  assert.deepEqual(readdirSync(join(dataDir, 'ml-latest-small')), ['movies.csv']);
});

const script = fileURLToPath(new URL('../../scripts/download-movielens.js', import.meta.url));

test('npm run download -- --dest DIR --url URL: downloads, then finds it there; failures exit 1 with the message', async () => {
  const run = promisify(execFile);
  const dest = join(tempDataDir(), 'copy');
  const first = await run(process.execPath, [script, '--dest', dest, '--url', `${base}/good.zip`]);
  assert.match(first.stdout, new RegExp(`Done: ${dest}\\nStart the app with MOVIELENS_DIR=${dest}`));
  assert.equal((await loadDataset(dest)).movies.length, 9742);
  const second = await run(process.execPath, [script, '--dest', dest, '--url', `${base}/good.zip`]);
  assert.match(second.stdout, /Already there/);

  const failed = join(tempDataDir(), 'copy');
  await assert.rejects(run(process.execPath, [script, '--dest', failed, '--url', `${base}/missing.zip`]), (error: Error & { code?: number; stderr?: string }) => {
    assert.equal(error.code, 1);
    assert.match(error.stderr ?? '', /HTTP 404.*MOVIELENS_DIR=/s);
    return true;
  });
  await assert.rejects(run(process.execPath, [script, '--bogus']), (error: Error & { code?: number }) => error.code === 2);
});
