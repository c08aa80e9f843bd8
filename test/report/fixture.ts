/** Small, hand-made run JSON for the report's tests: the shapes bench-peers, npm run tune and npm run evaluate write. */
import type { MetricCurves } from '../../src/recommend/evaluation/metric-curves.js';
import type { BenchPeersReport, PeerReport } from '../../scripts/peers/summary.js';
import type { EvaluationFile, TuningFile } from '../../scripts/report/schemas.js';

const ks = [1, 5, 10, 20, 50];

function curves(scale: number): MetricCurves {
  return { ks, users: 10, recall: ks.map((k) => Math.min(1, scale * Math.log2(k + 1) / 6)), precision: ks.map((k) => scale / Math.sqrt(k)), ndcg: ks.map((k) => scale * (0.5 + k / 200)) };
}

function peer(engine: 'moviehunter' | 'spark' | 'implicit', seconds: number, quality: number): PeerReport {
  const b = { users: 10, metrics: { recallAt12: 0.15 * quality, ndcgAt12: 0.4 * quality, coverageAt12: 0.1 }, curves: curves(0.5 * quality) };
  return {
    engine,
    status: 'ok',
    trainSeconds: seconds,
    trainSecondsB: seconds * 0.9,
    iterations: [1, 2, 3].map((iteration) => ({ iteration, seconds: seconds / 3, loss: 1000 / iteration })),
    peakRssBytes: 2e8 * seconds,
    wallSeconds: seconds + 1,
    protocolA: { users: 10, metrics: { precisionAt10: 0.2 * quality, recallAt20: 0.3 * quality, ndcgAt10: 0.3 * quality, coverageAt10: 0.1 }, curves: curves(quality) },
    protocolB: { foldin: b, itemsim: b, blend: b },
  };
}

export function benchPeersFixture(dataset: string, ratings: number, smoke: boolean): BenchPeersReport {
  const scale = ratings / 100_000;
  const baseline = { users: 10, metrics: { precisionAt10: 0.1, recallAt20: 0.15, ndcgAt10: 0.16, coverageAt10: 0.01 }, curves: curves(0.5) };
  const baselineB = { users: 10, metrics: { recallAt12: 0.09, ndcgAt12: 0.3, coverageAt12: 0.002 }, curves: curves(0.4) };
  return {
    kind: 'bench-peers',
    startedAt: '2026-01-01T00:00:00.000Z',
    seconds: 60,
    smoke,
    dataset,
    dataDir: `/data/<b>x</b>/${dataset}`,
    data: { users: 600 * scale, items: 9_000, ratings },
    params: { rank: smoke ? 8 : 64, iterations: smoke ? 3 : 15, regularization: 0.5, alpha: 2, seed: 42, scaleRegularization: true },
    split: {
      A: { fraction: 0.2, threshold: 4, trainRatings: ratings * 0.9, heldOut: ratings * 0.1, evaluatedUsers: 10 },
      B: { folds: 1, threshold: 4, picks: 5, trainUsers: 540, trainRatings: ratings * 0.9, heldOutUsers: 60, evaluatedUsers: 10 },
    },
    servedQuickMethod: 'itemsim',
    machine: { node: 'v20', cpus: 2, cpu: 'test cpu', memoryBytes: 24e9, loadAverage: [0.1, 1.2] },
    baselines: { A: { popularity: baseline, 'item-bias': baseline }, B: { popularity: baselineB, 'item-bias': baselineB } },
    peers: [
      peer('moviehunter', 2 * scale, 1),
      ratings > 500_000 ? { engine: 'spark', status: 'failed', reason: 'out of memory' } : peer('spark', 12 * scale, 1.01),
      peer('implicit', 0.5 * scale, 0.95),
    ],
    targets: [
      { id: 'time.spark', target: 'training time ≤ 0.25 × Spark MLlib (local)', measured: 0.17, limit: 0.25, kind: 'max', holds: true, note: '2 s vs 12 s' },
      { id: 'time.implicit', target: 'training time ≤ 3 × implicit', measured: 4, limit: 3, kind: 'max', holds: false, note: '2 s vs 0.5 s' },
    ],
    notebook: ratings > 500_000
      ? { skipped: 'too many ratings' }
      : {
        ratings,
        notebook: { readSeconds: 0.02, prepareSeconds: 2.3, rankSeconds: 0.01, pandas: '3.1.1' },
        core: { loadSeconds: 0.2, bestMoviesSeconds: 0.007 },
        agreement: { top: 3, overlap: 2, top10Overlap: 2, spearman: 1 },
        notebookTop: [318, 858, 50],
        coreTop: [318, 50, 1221],
      },
  };
}

export function tuningFixture(): TuningFile {
  const candidates = [32, 64].flatMap((rank) => [0.25, 0.5, 1].flatMap((regularization) => [1, 2].map((alpha) => ({
    rank, regularization, alpha,
    recallAt20: 0.3 + 0.01 * alpha - 0.02 * Math.abs(Math.log2(regularization / 0.5)),
    ndcgAt10: 0.3, recallAt12: 0.13, ndcgAt12: 0.4, trainSeconds: rank / 32, score: 2 + 0.01 * alpha,
  }))));
  const find = (rank: number, regularization: number, alpha: number) => candidates.find((c) => c.rank === rank && c.regularization === regularization && c.alpha === alpha)!;
  return {
    kind: 'tuning',
    runId: 'tune-test',
    startedAt: '2026-01-01T00:00:00.000Z',
    seconds: 600,
    dataset: '/data/ml-latest-small',
    seed: 42,
    iterations: 15,
    servedQuickMethod: 'itemsim',
    validation: { description: 'carved from protocol A\'s training part', heldOutA: 15_000, newUsersB: 592 },
    grid: { ranks: [32, 64], regularizations: [0.25, 0.5, 1], alphas: [1, 2] },
    criterion: 'sum of relative recalls',
    candidates,
    defaults: find(64, 0.5, 2),
    best: find(64, 0.5, 2),
    chosen: find(32, 0.5, 2),
    changeDefaults: false,
  };
}

export function evaluationFixture(): EvaluationFile {
  return {
    dataset: '/data/small',
    seconds: 10,
    seed: 42,
    folds: 10,
    als: { rank: 64, iterations: 15 },
    data: { users: 610, items: 9724, ratings: 100_836 },
    protocols: [
      { protocol: 'A', description: 'known users', evaluatedUsers: 608, rows: [{ model: 'popularity', users: 608, metrics: { recallAt20: 0.15, precisionAt10: 0.12 }, trainSeconds: 0 }, { model: 'als', users: 608, metrics: { recallAt20: 0.31, precisionAt10: 0.22 }, trainSeconds: 1.9 }] },
      { protocol: 'B', description: 'new users', evaluatedUsers: 599, rows: [{ model: 'als-itemsim', users: 599, metrics: { recallAt12: 0.13 }, trainSeconds: 1.9 }] },
    ],
  };
}
