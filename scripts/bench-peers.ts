/**
 * scripts/bench-peers: MovieHunter's ALS beside Spark MLlib's and the implicit library's, on one dataset with one set
 * of parameters. This process owns the splits (protocol A and a single 10% protocol B split, from the core), writes
 * each training part as a ratings.csv, launches each peer in turn as a child process (scripts/peers/), samples its
 * memory, reads its exported factors back and scores them with the core's evaluator. One table, one JSON file;
 * `npm run report` draws the JSON. Exit code 0 when every peer ran (targets may miss), 1 when one failed.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../src/catalog/dataset.js';
import type { RatingsMatrix } from '../src/catalog/types.js';
import { loadConfig } from '../src/config.js';
import { repoRoot } from '../src/paths.js';
import { writeRatingsCsv } from '../src/pipeline/engine-evaluation.js';
import { fitBaseline } from '../src/recommend/baseline.js';
import { popularityScores } from '../src/recommend/evaluation/protocols.js';
import type { NewUserScorer } from '../src/recommend/evaluation/protocols.js';
import {
  defaultKnownUserSplit,
  defaultNewUserSplit,
  splitKnownUsers,
  splitNewUserFolds,
  splitNewUsers,
  type NewUserCase,
  type NewUserSplit,
} from '../src/recommend/evaluation/splits.js';
import type { ModelParams } from '../src/recommend/model.js';
import { QUICK_METHODS, type QuickMethod } from '../src/recommend/quick.js';
import { movielensSmallDir, syntheticFolder } from './bench/datasets.js';
import { readPeerExport, type PeerFactors } from './peers/export-format.js';
import { launch, type LaunchResult } from './peers/launch.js';
import { compareNotebook } from './peers/notebook.js';
import { BENCH_PEERS_USAGE, DATASETS, parseBenchPeersArgs, SYNTHETIC_SEED, type BenchPeersCommand, type PeerName } from './peers/options.js';
import {
  knownUserScorerFromFactors,
  newUserScorerFromModel,
  peerModel,
  sampleKnownUsers,
  sampleNewUsers,
  scoreKnownUsers,
  NewUserScores,
  type ScoredA,
  type ScoredB,
} from './peers/scoring.js';
import { formatPeersTable, targetRows, type BenchPeersReport, type NotebookReport, type PeerReport } from './peers/summary.js';

/** Above this many ratings the notebook's O(movies × ratings) preparation would take hours: skipped by default. */
const NOTEBOOK_MAX_RATINGS = 2_000_000;
/** Up to this many ratings protocol B runs 10 folds by default (ml-latest-small: 10 × 61 new users, not 61). */
const SMALL_RATINGS = 200_000;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  let command: BenchPeersCommand | 'help';
  try {
    command = parseBenchPeersArgs(process.argv.slice(2), repoRoot);
  } catch (error) {
    process.stderr.write(`bench-peers: ${(error as Error).message}\n${BENCH_PEERS_USAGE}\n`);
    return 2;
  }
  if (command === 'help') {
    process.stdout.write(`${BENCH_PEERS_USAGE}\n`);
    return 0;
  }
  const cmd = command;
  const config = loadConfig(process.env);
  const python = config.SPARK_PYTHON;
  if (cmd.peers.some((p) => p === 'spark' || p === 'implicit') && !existsSync(python)) {
    throw new Error(`${python}: no Python here (SPARK_PYTHON); scripts/setup-test-env.sh (npm test) creates spark/.venv with pyspark, implicit and pandas`);
  }

  const started = new Date();
  const loadAverage = loadavg()[0];
  if (loadAverage > availableParallelism() / 2) log(`bench-peers: load average ${loadAverage.toFixed(1)} on ${availableParallelism()} cores: timings will be inflated`);
  const dataDir = datasetDir(cmd);
  const mark = performance.now();
  const { ratings, movies } = await loadDataset(dataDir);
  const loadSeconds = (performance.now() - mark) / 1000;
  const nnz = ratings.byUser.indptr[ratings.byUser.rows];
  log(`bench-peers: ${dataDir}: ${nnz} ratings, ${ratings.byUser.rows} users, ${ratings.byItem.rows} movies (loaded in ${loadSeconds.toFixed(1)} s)`);

  const work = mkdtempSync(join(tmpdir(), `moviehunter-bench-peers-${cmd.dataset}-`));
  try {
    // Protocol A: the core's split, the same for every model; each peer trains on it once (the headline figures).
    const splitA = splitKnownUsers(ratings, { ...defaultKnownUserSplit, seed: cmd.seed });
    const evalA = sampleKnownUsers(splitA, cmd.evalUsers, cmd.seed);
    const csvA = join(work, 'train-a', 'ratings.csv');
    await writeRatingsCsv(splitA.train, csvA);
    const params: ModelParams = { rank: cmd.rank, iterations: cmd.iterations, regularization: cmd.regularization, alpha: cmd.alpha, ratingThreshold: null, scaleRegularization: true, seed: cmd.seed };
    const popularityA = popularityScores(splitA.train.byItem.indptr);
    const biasA = fitBaseline(splitA.train).itemBias;
    const baselinesA = {
      popularity: scoreKnownUsers(evalA, (_u, out) => out.set(popularityA)),
      'item-bias': scoreKnownUsers(evalA, (_u, out) => out.set(biasA)),
    };

    const peers = new Map<PeerName, PeerRun>();
    for (const engine of cmd.peers) {
      log(`bench-peers: ${engine}, protocol A (${count(splitA.train)} training ratings) …`);
      const run = new PeerRun(engine, ratings.byItem.rows);
      peers.set(engine, run);
      try {
        const trained = await trainPeer(engine, cmd, python, nnz, csvA, join(work, `${engine}-a`));
        run.trainedA(trained, scoreKnownUsers(evalA, knownUserScorerFromFactors(evalA.train, trained.factors)));
        log(`bench-peers: ${engine}: trained in ${trained.factors.result.trainSeconds.toFixed(2)} s, peak ${(run.report().peakRssBytes! / 1e9).toFixed(2)} GB, ` +
          `R@20 ${run.report().protocolA!.metrics.recallAt20.toFixed(4)}`);
      } catch (error) {
        run.failed(error as Error);
        log(`bench-peers: ${engine} could not run: ${(error as Error).message}`);
      }
    }

    // Protocol B: folds over users (or one 10% split); every peer that ran A trains on each fold.
    const folds = cmd.folds ?? (nnz <= SMALL_RATINGS ? 10 : 1);
    const splitsB: Iterable<NewUserSplit> =
      folds === 1
        ? [splitNewUsers(ratings, { ...defaultNewUserSplit, seed: cmd.seed })]
        : splitNewUserFolds(ratings, { ...defaultNewUserSplit, folds, seed: cmd.seed });
    const baselinesB = { popularity: new NewUserScores(ratings.byItem.rows), 'item-bias': new NewUserScores(ratings.byItem.rows) };
    const foldStats = { trainUsers: 0, trainRatings: 0, heldOutUsers: 0, evaluatedUsers: 0 };
    let fold = 0;
    for (const split of splitsB) {
      fold++;
      const cases = sampleNewUsers(split.cases, Math.ceil(cmd.evalUsers / folds), cmd.seed + fold);
      foldStats.trainUsers += split.train.byUser.rows / folds;
      foldStats.trainRatings += count(split.train) / folds;
      foldStats.heldOutUsers += split.heldOutUsers.length;
      foldStats.evaluatedUsers += cases.length;
      const popularity = popularityScores(split.train.byItem.indptr);
      const bias = fitBaseline(split.train).itemBias;
      baselinesB.popularity.add(cases, () => popularity);
      baselinesB['item-bias'].add(cases, () => bias);
      const csv = join(work, `train-b${fold}`, 'ratings.csv');
      await writeRatingsCsv(split.train, csv);
      for (const run of peers.values()) {
        if (run.status !== 'ok' || run.failureB !== null) continue;
        if (cmd.peersB !== null && !cmd.peersB.includes(run.engine)) {
          run.failureB = 'protocol B not trained (--b-peers)';
          continue;
        }
        log(`bench-peers: ${run.engine}, protocol B fold ${fold}/${folds} (${cases.length} new users) …`);
        try {
          const trained = await trainPeer(run.engine, cmd, python, nnz, csv, join(work, `${run.engine}-b${fold}`));
          const prepared = peerModel(trained.factors, params);
          run.trainedB(trained.factors.result.trainSeconds, (method) => newUserScorerFromModel(ratings.itemIds, prepared, method), cases);
        } catch (error) {
          run.failureB = `protocol B could not run: fold ${fold}: ${(error as Error).message}`;
          log(`bench-peers: ${run.engine} could not train protocol B's fold ${fold}: ${(error as Error).message}`);
        }
      }
      rmSync(join(work, `train-b${fold}`), { recursive: true, force: true });
    }

    let notebook: NotebookReport | { skipped: string };
    const wantNotebook = cmd.notebook ?? nnz <= NOTEBOOK_MAX_RATINGS;
    const ratingsCsv = join(dataDir, 'ratings.csv');
    if (!wantNotebook) notebook = { skipped: `${nnz.toLocaleString('en')} ratings: the original preparation filters every rating once per movie (O(movies × ratings)); run with --notebook to wait for it` };
    else if (!existsSync(ratingsCsv)) notebook = { skipped: `${dataDir} has no ratings.csv (the notebook read MovieLens CSV)` };
    else if (!existsSync(python)) notebook = { skipped: `${python} is missing` };
    else {
      log('bench-peers: the original best-movies preparation (pandas) beside the core …');
      notebook = await compareNotebook(python, ratingsCsv, ratings, movies, loadSeconds, log);
    }

    const peerReports = [...peers.values()].map((run) => run.report());
    const partial = {
      peers: peerReports,
      baselines: { A: baselinesA, B: { popularity: baselinesB.popularity.result(), 'item-bias': baselinesB['item-bias'].result() } },
      params: { rank: cmd.rank, iterations: cmd.iterations, regularization: cmd.regularization, alpha: cmd.alpha, seed: cmd.seed, scaleRegularization: true as const },
      servedQuickMethod: config.QUICK_METHOD,
    };
    const report: BenchPeersReport = {
      kind: 'bench-peers',
      startedAt: started.toISOString(),
      seconds: (Date.now() - started.getTime()) / 1000,
      smoke: cmd.smoke,
      dataset: cmd.dataset,
      dataDir,
      data: { users: ratings.byUser.rows, items: ratings.byItem.rows, ratings: nnz },
      ...partial,
      split: {
        A: { ...defaultKnownUserSplit, trainRatings: count(splitA.train), heldOut: splitA.heldOut.items.length, evaluatedUsers: baselinesA.popularity.users },
        B: {
          folds,
          threshold: defaultNewUserSplit.threshold,
          picks: defaultNewUserSplit.picks,
          trainUsers: Math.round(foldStats.trainUsers),
          trainRatings: Math.round(foldStats.trainRatings),
          heldOutUsers: foldStats.heldOutUsers,
          evaluatedUsers: foldStats.evaluatedUsers,
        },
      },
      machine: { node: process.version, cpus: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(), loadAverage: [loadAverage, loadavg()[0]] },
      targets: targetRows(partial),
      notebook,
    };
    process.stdout.write(`${formatPeersTable(report)}\n`);
    if (!('skipped' in notebook)) {
      const n = notebook;
      process.stdout.write(
        `\nbest movies on ${n.ratings.toLocaleString('en')} ratings: the original's pandas preparation ${(n.notebook.prepareSeconds + n.notebook.rankSeconds).toFixed(3)} s ` +
          `(+ read ${n.notebook.readSeconds.toFixed(3)} s) vs the core's bestMovies ${n.core.bestMoviesSeconds.toFixed(4)} s (every genre too; load ${n.core.loadSeconds.toFixed(2)} s); ` +
          `top ${n.agreement.top}: ${n.agreement.overlap} movies in both, ${n.agreement.top10Overlap}/10 of the first ten, Spearman ${n.agreement.spearman?.toFixed(3) ?? '–'}\n`,
      );
    } else process.stdout.write(`\nbest movies: the notebook comparison was skipped: ${notebook.skipped}\n`);
    mkdirSync(join(cmd.out, '..'), { recursive: true });
    writeFileSync(cmd.out, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`wrote ${cmd.out} (${report.seconds.toFixed(1)} s)\n`);
    return peerReports.every((p) => p.status === 'ok') ? 0 : 1;
  } finally {
    if (cmd.keepWork) log(`bench-peers: work folder kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

function datasetDir(cmd: BenchPeersCommand): string {
  if (cmd.data !== null) return cmd.data;
  if (cmd.dataset === 'ml-latest-small') return movielensSmallDir();
  const preset = DATASETS[cmd.dataset];
  return syntheticFolder(preset.folder!, preset.shape!, SYNTHETIC_SEED);
}

function count(m: RatingsMatrix): number {
  return m.byUser.indptr[m.byUser.rows];
}

/** One peer's figures as they come in: protocol A's training and scores, then protocol B's fold by fold. */
class PeerRun {
  status: 'ok' | 'failed' = 'ok';
  /** Why protocol B stopped for this peer (its protocol A figures stand). */
  failureB: string | null = null;
  private reason = '';
  private a: { trained: TrainedPeer; scored: ScoredA } | null = null;
  private readonly b: Record<QuickMethod, NewUserScores>;
  private readonly bSeconds: number[] = [];

  constructor(readonly engine: PeerName, itemCount: number) {
    this.b = { foldin: new NewUserScores(itemCount), itemsim: new NewUserScores(itemCount), blend: new NewUserScores(itemCount) };
  }

  trainedA(trained: TrainedPeer, scored: ScoredA): void {
    this.a = { trained, scored };
  }

  trainedB(seconds: number, scorer: (method: QuickMethod) => NewUserScorer, cases: readonly NewUserCase[]): void {
    this.bSeconds.push(seconds);
    for (const method of QUICK_METHODS) this.b[method].add(cases, scorer(method));
  }

  failed(error: Error): void {
    this.status = 'failed';
    this.reason = error.message;
  }

  report(): PeerReport {
    if (this.status === 'failed' || this.a === null) return { engine: this.engine, status: 'failed', reason: this.reason || 'did not run' };
    const { trained, scored } = this.a;
    const result = trained.factors.result;
    const protocolB: Partial<Record<QuickMethod, ScoredB>> = {};
    if (this.bSeconds.length > 0 && this.failureB === null) for (const method of QUICK_METHODS) protocolB[method] = this.b[method].result();
    return {
      engine: this.engine,
      status: 'ok',
      ...(result.version === undefined ? {} : { version: result.version }),
      ...(result.params === undefined ? {} : { params: result.params }),
      trainSeconds: result.trainSeconds,
      ...(this.bSeconds.length === 0 || this.failureB !== null ? {} : { trainSecondsB: this.bSeconds.reduce((sum, s) => sum + s, 0) / this.bSeconds.length }),
      iterations: result.iterations,
      // The sampled tree peak, or the peer's own getrusage peak when sampling missed a short spike.
      peakRssBytes: Math.max(trained.run.trainingPeakTreeRssBytes, result.peakRssBytes ?? 0),
      peakRssBytesOverall: Math.max(trained.run.peakTreeRssBytes, result.peakRssBytes ?? 0),
      wallSeconds: trained.run.wallSeconds,
      protocolA: scored,
      protocolB,
      ...(this.failureB === null ? {} : { reason: this.failureB }),
    };
  }
}

interface TrainedPeer {
  readonly factors: PeerFactors;
  readonly run: LaunchResult;
}

/** Trains one peer on one ratings.csv in its own process; reads its factors back (and deletes the export). */
async function trainPeer(engine: PeerName, cmd: BenchPeersCommand, python: string, ratings: number, csv: string, out: string): Promise<TrainedPeer> {
  const { command, args, env } = peerCommand(engine, cmd, python, ratings, csv, out);
  const run = await launch(command, args, { env, cwd: repoRoot, timeoutMs: cmd.timeoutMinutes * 60_000, log: (line) => log(`  [${engine}] ${line}`) });
  if (run.code !== 0) {
    const why = run.timedOut ? `timed out after ${cmd.timeoutMinutes} min` : run.signal ? `killed by ${run.signal}` : `exit code ${run.code}`;
    const last = [...run.stderrTail].reverse().find((line) => line.trim() !== '') ?? '';
    throw new Error(`${why}${last ? `: ${last.trim().slice(0, 300)}` : ''}`);
  }
  const factors = readPeerExport(out);
  rmSync(out, { recursive: true, force: true });
  return { factors, run };
}

/** How each peer is started: the same parameters for all, each in its own process. */
function peerCommand(engine: PeerName, cmd: BenchPeersCommand, python: string, ratings: number, csv: string, out: string): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const common = ['--ratings', csv, '--out', out, '--rank', String(cmd.rank), '--iterations', String(cmd.iterations),
    '--regularization', String(cmd.regularization), '--alpha', String(cmd.alpha), '--seed', String(cmd.seed)];
  const script = (name: string): string => join(repoRoot, 'scripts', 'peers', name);
  switch (engine) {
    case 'moviehunter':
    case 'moviehunter-unscaled': {
      const unscaled = engine === 'moviehunter-unscaled'
        ? ['--unscaled', ...(cmd.implicitRegularization === null ? [] : ['--implicit-regularization', String(cmd.implicitRegularization)])]
        : [];
      return { command: process.execPath, args: [fileURLToPath(new URL('./peers/moviehunter-child.js', import.meta.url)), ...common, ...unscaled], env: process.env };
    }
    case 'implicit':
      return {
        command: python,
        args: [script('peer_implicit.py'), ...common, ...(cmd.implicitRegularization === null ? [] : ['--implicit-regularization', String(cmd.implicitRegularization)])],
        // implicit parallelises over rows itself; a multithreaded BLAS underneath would fight it (implicit warns).
        env: { ...process.env, OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
      };
    case 'spark':
      return {
        command: python,
        args: [script('peer_spark.py'), ...common, '--master', loadConfig(process.env).SPARK_MASTER, '--driver-memory', cmd.sparkMemory ?? sparkMemoryFor(ratings)],
        env: { ...process.env, PYSPARK_PYTHON: python, SPARK_LOCAL_IP: '127.0.0.1' },
      };
  }
}

/** The local JVM's heap by the number of ratings (the driver is the executor too). */
function sparkMemoryFor(ratings: number): string {
  if (ratings <= 2_000_000) return '2g';
  if (ratings <= 8_000_000) return '6g';
  return '14g';
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`bench-peers: ${error.message}\n`);
    process.exit(2);
  },
);
