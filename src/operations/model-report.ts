/**
 * The model in service as the operations page shows it: its shape and training parameters, the run that trained it
 * and that run's loss per iteration (from the run's metrics, which the tick keeps in the store's run history: no
 * file is read here). The run is the one the model's location names (…/runs/<id>/model); when whoever put the model
 * in service did not say where it came from, it is the newest succeeded run during which the model was trained.
 */
import type { ModelParams } from '../recommend/model.js';
import type { ModelInService } from '../services/current-model.js';
import type { RunRecord } from '../store/index.js';

export interface LossPoint {
  readonly iteration: number;
  readonly loss: number;
}

export interface ModelReport {
  readonly rank: number;
  readonly items: number;
  readonly engine: string;
  /** ISO-8601, as the model says. */
  readonly trainedAt: string;
  readonly params: ModelParams;
  /** In service since, epoch ms. */
  readonly since: number;
  /** The model folder, when known. */
  readonly location: string | null;
  /** The run that trained it, or null (the base model, trained at start-up without app users, has none). */
  readonly run: RunRecord | null;
  /** How the run was found. */
  readonly runFoundBy: 'location' | 'training time' | null;
  /** Loss after each iteration, from the run's metrics (the Spark engine reports only the last). */
  readonly iterations: readonly LossPoint[];
}

/** Clocks of the engine and of the app may differ a little. */
const CLOCK_SLACK_MS = 60_000;

/** The run id in a run's model location: /data/runs/<id>/model, gs://bucket/runs/<id>/model/. */
export function runIdOfLocation(location: string): string | null {
  return /(?:^|[/\\])runs[/\\]([^/\\]+)[/\\]model[/\\]?$/.exec(location)?.[1] ?? null;
}

export interface ModelReportDeps {
  /** Recent run history, newest first (the page lists it anyway). */
  readonly recentRuns: readonly RunRecord[];
  readonly getRun: (runId: string) => Promise<RunRecord | null>;
}

export async function modelReport(inService: ModelInService | null, deps: ModelReportDeps): Promise<ModelReport | null> {
  if (inService === null) return null;
  const { model } = inService.model;
  const location = inService.source?.location ?? null;
  let run: RunRecord | null = null;
  let runFoundBy: ModelReport['runFoundBy'] = null;
  const runId = location === null ? null : runIdOfLocation(location);
  if (runId !== null) {
    run = deps.recentRuns.find((r) => r.id === runId) ?? (await deps.getRun(runId));
    if (run) runFoundBy = 'location';
  } else if (location === null) {
    run = runTrainedAt(Date.parse(model.trainedAt), deps.recentRuns);
    if (run) runFoundBy = 'training time';
  }
  return {
    rank: model.rank,
    items: model.itemIds.length,
    engine: model.engine,
    trainedAt: model.trainedAt,
    params: model.params,
    since: inService.since,
    location,
    run,
    runFoundBy,
    iterations: lossPoints(run?.metrics ?? null),
  };
}

/** The newest succeeded run that was running when the model was trained. */
function runTrainedAt(trainedAt: number, runs: readonly RunRecord[]): RunRecord | null {
  if (Number.isNaN(trainedAt)) return null;
  return (
    runs.find(
      (r) => r.outcome === 'succeeded' && r.createdAt - CLOCK_SLACK_MS <= trainedAt && trainedAt <= (r.finishedAt ?? Infinity) + CLOCK_SLACK_MS,
    ) ?? null
  );
}

/** metrics.iterations as [{iteration, loss}], ignoring malformed entries, by iteration. */
export function lossPoints(metrics: Record<string, unknown> | null): LossPoint[] {
  const raw = metrics?.iterations;
  if (!Array.isArray(raw)) return [];
  const points: LossPoint[] = [];
  for (const entry of raw) {
    const { iteration, loss } = (entry ?? {}) as { iteration?: unknown; loss?: unknown };
    if (typeof iteration === 'number' && Number.isFinite(iteration) && typeof loss === 'number' && Number.isFinite(loss)) points.push({ iteration, loss });
  }
  return points.sort((a, b) => a.iteration - b.iteration);
}
