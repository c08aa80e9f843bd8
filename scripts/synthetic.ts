import { repoRoot } from '../src/paths.js';
import { createProgress } from '../src/progress.js';
import { parseSyntheticArgs, SYNTHETIC_USAGE } from './cli/synthetic-options.js';
import { generateSyntheticMovielens } from '../src/synthetic/generate.js';

/** npm run synthetic -- --preset ml-25m --seed 1: writes a synthetic MovieLens folder. */
function main(): void {
  let command;
  try {
    command = parseSyntheticArgs(process.argv.slice(2), repoRoot);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${SYNTHETIC_USAGE}\n`);
    process.exit(2);
  }
  if (command === 'help') {
    process.stdout.write(`${SYNTHETIC_USAGE}\n`);
    return;
  }
  const started = performance.now();
  const progress = createProgress({ label: 'ratings.csv', total: command.ratings, unit: 'ratings' });
  const summary = generateSyntheticMovielens({ ...command, onProgress: (done) => progress.update(done) });
  progress.finish();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const megabytes = ((summary.bytes.movies + summary.bytes.links + summary.bytes.ratings) / 1e6).toFixed(1);
  process.stdout.write(
    `${command.out}: ${summary.users} users, ${summary.movies} movies (${summary.ratedMovies} rated), ` +
      `${summary.ratings} ratings, seed ${summary.seed}, ${megabytes} MB in ${seconds}s\n`,
  );
}

main();
