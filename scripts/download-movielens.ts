import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureMovielensAt, ML_LATEST_SMALL, MovielensUnavailableError, checkFolder } from '../src/bootstrap/movielens.js';
import { loadConfig } from '../src/config.js';

const USAGE = `Usage: npm run download -- [--dest DIR] [--url URL]
Downloads MovieLens ml-latest-small, verifies every file's size and SHA-256, and puts it in DIR.
  --dest DIR  the folder to make (default: $DATA_DIR/ml-latest-small, where the app looks when MOVIELENS_DIR is unset)
  --url URL   where to get the zip (default: ${ML_LATEST_SMALL.url})`;

/** npm run download -- --dest DIR: gets ml-latest-small once (a complete DIR is left as it is). */
async function main(): Promise<void> {
  let dest: string;
  let url: string | undefined;
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: { dest: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    if (values.url !== undefined) new URL(values.url);
    url = values.url;
    // Only DATA_DIR matters here: settings for the server (SESSION_SECRET in production…) must not stop a download.
    dest = resolve(values.dest ?? join(loadConfig({ DATA_DIR: process.env.DATA_DIR }).DATA_DIR, ML_LATEST_SMALL.name));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const already = (await checkFolder(dest, ML_LATEST_SMALL)).state === 'complete';
  try {
    await ensureMovielensAt(dest, { spec: ML_LATEST_SMALL, url, log: { info: note, warn: note } });
  } catch (error) {
    process.stderr.write(`${error instanceof MovielensUnavailableError ? error.message : (error as Error).stack}\n`);
    process.exit(1);
  }
  process.stdout.write(`${already ? 'Already there' : 'Done'}: ${dest}\n`);
  const defaultDest = resolve(loadConfig({ DATA_DIR: process.env.DATA_DIR }).DATA_DIR, ML_LATEST_SMALL.name);
  if (dest !== defaultDest) process.stdout.write(`Start the app with MOVIELENS_DIR=${dest} to use it.\n`);
}

function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

await main();
