/**
 * MovieHunter's in-process ALS as a peer of bench-peers, in its own process like the Python peers, so that its
 * peak memory is its own: loads the training ratings.csv, trains (trainAls: the fit call alone is timed, worker
 * start included; ALS_KERNELS chooses the kernels), and writes the export folder (export-format.ts).
 *   node moviehunter-child.js --ratings FILE --out DIR --rank N --iterations N --regularization X --alpha X
 *        [--seed N] [--threads N]
 */
import { parseArgs } from 'node:util';
import { loadRatings } from '../../src/catalog/ratings.js';
import { loadConfig } from '../../src/config.js';
import { trainAls, type AlsIteration } from '../../src/recommend/als/index.js';
import { writePeerExport } from './export-format.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ratings: { type: 'string' },
      out: { type: 'string' },
      rank: { type: 'string' },
      iterations: { type: 'string' },
      regularization: { type: 'string' },
      alpha: { type: 'string' },
      seed: { type: 'string', default: '42' },
      threads: { type: 'string' },
      // implicit's objective: one λ for every row, --regularization × the mean number of ratings of a row (as
      // peer_implicit.py maps it), or --implicit-regularization as given.
      unscaled: { type: 'boolean' },
      'implicit-regularization': { type: 'string' },
    },
    strict: true,
  });
  const { ratings: path, out } = values;
  if (path === undefined || out === undefined) throw new Error('--ratings and --out are required');
  const number = (name: keyof typeof values): number => {
    const value = Number(values[name]);
    if (values[name] === undefined || !Number.isFinite(value)) throw new Error(`--${name} must be a number, got ${values[name]}`);
    return value;
  };
  const log = (line: string): void => void process.stderr.write(`moviehunter: ${line}\n`);

  const ratings = await loadRatings(path);
  const count = ratings.byUser.indptr[ratings.byUser.rows];
  log(`${count} ratings, ${ratings.byUser.rows} users, ${ratings.byItem.rows} items`);
  const iterations: AlsIteration[] = [];
  const unscaled = values.unscaled === true;
  const regularization = !unscaled
    ? number('regularization')
    : values['implicit-regularization'] !== undefined
      ? number('implicit-regularization')
      : (number('regularization') * 2 * count) / (ratings.byUser.rows + ratings.byItem.rows);
  if (unscaled) log(`implicit's objective: λ ${regularization.toPrecision(4)} for every row`);
  const trained = await trainAls(
    ratings,
    {
      rank: number('rank'),
      iterations: number('iterations'),
      regularization,
      scaleRegularization: !unscaled,
      alpha: number('alpha'),
      seed: number('seed'),
      kernels: loadConfig().ALS_KERNELS,
      ...(values.threads === undefined ? {} : { threads: number('threads') }),
    },
    (it) => iterations.push(it),
  );
  log(`trained in ${trained.seconds.toFixed(2)} s (${trained.options.threads} threads, ${trained.options.solver}, ${trained.options.kernels} kernels)`);
  process.stderr.write('bench-peers:phase=export\n');
  const { threads, solver, cgSteps, kernels, rank, alpha, scaleRegularization, seed } = trained.options;
  writePeerExport(
    out,
    { rank, userIds: ratings.userIds, userFactors: trained.userFactors, itemIds: ratings.itemIds, itemFactors: trained.itemFactors },
    {
      engine: unscaled ? 'moviehunter-unscaled' : 'moviehunter',
      rank,
      users: ratings.byUser.rows,
      items: ratings.byItem.rows,
      ratings: count,
      trainSeconds: trained.seconds,
      // The loss is MovieHunter's objective (λ·n); with --unscaled training minimises another one: left out.
      iterations: iterations.map(({ iteration, seconds, loss }) => (unscaled ? { iteration, seconds } : { iteration, seconds, loss })),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      params: { rank, iterations: trained.options.iterations, regularization, alpha, scaleRegularization, seed, solver, cgSteps, threads, kernels },
    },
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`moviehunter: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
