/**
 * The JSON `npm run evaluate` writes (artifacts/evaluation-<dataset>.json): declared once, here, for its readers (the
 * operations page, npm run report) and checked against what the writer produces (runEvaluation's report).
 */
import { z } from 'zod';
import type { EvaluationReport } from '../recommend/evaluation/runner.js';

/** Metric name (recallAt20, …) → value; a NaN is written as null. */
const metricsSchema = z.record(z.string(), z.number().nullable());

export const evaluationRowSchema = z
  .object({ model: z.string(), users: z.number(), metrics: metricsSchema, trainSeconds: z.number() })
  .readonly();

export const evaluationProtocolSchema = z
  .object({ protocol: z.string(), description: z.string(), evaluatedUsers: z.number(), rows: z.array(evaluationRowSchema).readonly() })
  .readonly();

export const evaluationFileSchema = z
  .object({
    /** The dataset folder. */
    dataset: z.string(),
    seconds: z.number().optional(),
    seed: z.number(),
    folds: z.number().optional(),
    /** The ALS options trained with. */
    als: z.record(z.string(), z.unknown()),
    data: z.object({ users: z.number(), items: z.number(), ratings: z.number() }).readonly(),
    protocols: z.array(evaluationProtocolSchema).readonly(),
  })
  .readonly();

export type EvaluationFile = z.infer<typeof evaluationFileSchema>;

/** What the operations page needs of a file, and no more: each protocol's rows and their metrics. */
export const evaluationTablesSchema = z.object({
  protocols: z.array(
    evaluationProtocolSchema.unwrap().pick({ protocol: true, description: true, evaluatedUsers: true }).partial().extend({
      rows: z.array(evaluationRowSchema.unwrap().pick({ model: true, metrics: true }).partial()),
    }),
  ),
});

/** evaluate writes `{ dataset, seconds, ...report }`: a compile error here when that stops being an EvaluationFile. */
export type WrittenEvaluationFile = { readonly dataset: string; readonly seconds: number } & EvaluationReport;
true satisfies WrittenEvaluationFile extends EvaluationFile ? true : false;
