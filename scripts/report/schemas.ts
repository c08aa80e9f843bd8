/**
 * Every JSON report the scripts write into artifacts/, declared once for the script that writes it and the code that
 * reads it (npm run report, the operations page): evaluate's (in src/, which the operations page reads), tune's,
 * bench's, bench-peers' and load's. Those that are read back have a zod schema the reader parses with.
 */
import { z } from 'zod';
import type { RowResult } from '../bench/rows.js';

export { evaluationFileSchema, type EvaluationFile } from '../../src/operations/evaluation-file.js';
export type { BenchPeersReport, NotebookReport, PeerReport, TargetRow } from '../peers/summary.js';

/** One point of npm run tune's grid with its validation figures. */
export const tuningCandidateSchema = z.object({
  rank: z.number(),
  regularization: z.number(),
  alpha: z.number(),
  /** Protocol A on validation: Recall@20, NDCG@10. */
  recallAt20: z.number(),
  ndcgAt10: z.number(),
  /** Protocol B on validation: Recall@12, NDCG@12. */
  recallAt12: z.number(),
  ndcgAt12: z.number(),
  trainSeconds: z.number(),
  /** R@20/R@20(defaults) + R@12/R@12(defaults), set once the defaults are known. */
  score: z.number().optional(),
});

export type TuningCandidate = z.infer<typeof tuningCandidateSchema>;

/** artifacts/tuning-<dataset>.json. */
export const tuningFileSchema = z.object({
  kind: z.literal('tuning'),
  runId: z.string(),
  startedAt: z.string(),
  seconds: z.number(),
  dataset: z.string(),
  seed: z.number(),
  iterations: z.number(),
  servedQuickMethod: z.string(),
  validation: z.object({ description: z.string(), heldOutA: z.number(), newUsersB: z.number() }),
  grid: z.object({ ranks: z.array(z.number()).readonly(), regularizations: z.array(z.number()).readonly(), alphas: z.array(z.number()).readonly() }),
  criterion: z.string(),
  candidates: z.array(tuningCandidateSchema),
  defaults: tuningCandidateSchema,
  best: tuningCandidateSchema,
  chosen: tuningCandidateSchema,
  changeDefaults: z.boolean(),
});

export type TuningFile = z.infer<typeof tuningFileSchema>;

/** The machine a measurement ran on (bench and load). */
export interface MachineInfo {
  readonly node: string;
  readonly cpus: number;
  readonly cpu: string;
  readonly memoryBytes: number;
  readonly loadAverage: { readonly start: number; readonly end: number };
}

/** artifacts/bench.json (bench-<groups>.json with --only). */
export interface BenchFile {
  readonly startedAt: string;
  readonly seconds: number;
  readonly quick: boolean;
  readonly seed: number;
  readonly only: readonly string[] | undefined;
  readonly machine: MachineInfo;
  readonly rows: readonly Pick<RowResult, 'id' | 'figure' | 'target' | 'limit' | 'unit' | 'measured' | 'status' | 'note'>[];
}

/** One kind of traffic of npm run load, measured. */
export interface LoadKindRow {
  readonly kind: string;
  readonly label: string;
  readonly connections: number;
  readonly requests: number;
  readonly rps: number;
  /** Latency percentiles, ms. */
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
}

/** A figure of npm run load against its target. */
export interface LoadCheck {
  readonly figure: string;
  readonly target: string;
  readonly measured: string;
  readonly status: 'PASS' | 'FAIL';
}

/** One server of npm run load (WEB_WORKERS web processes), measured. */
export interface LoadRun {
  readonly workers: number;
  readonly server: Readonly<Record<string, string | number>>;
  readonly kinds: readonly LoadKindRow[];
  readonly totalRps: number;
  readonly searchAndPagesRps: number;
  readonly quickP99Ms: number;
  readonly errors: number;
  /** The primary and its workers together. */
  readonly cpu: { readonly serverCores: number; readonly serverMsPerRequest: number; readonly generatorCores: number };
  readonly memory: {
    readonly rssBeforeWarmupBytes: number;
    readonly rssAfterWarmupBytes: number;
    readonly rssEndBytes: number;
    readonly growth: number;
    readonly samples: readonly { readonly second: number; readonly rss: number }[];
  };
  readonly checks: readonly LoadCheck[];
}

/** artifacts/load.json. */
export interface LoadFile {
  readonly startedAt: string;
  readonly command: string;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly seed: number;
  readonly machine: MachineInfo;
  readonly connections: Readonly<Record<string, number>>;
  /** One per --workers value, in order. */
  readonly runs: readonly LoadRun[];
  /** Each run after the first against the first. */
  readonly comparison: readonly LoadCheck[];
}
