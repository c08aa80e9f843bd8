/** What the operations page shows, gathered from the store, the model in service and the evaluation report. */
import type { CurrentModel } from '../services/current-model.js';
import type { RunRecord, Store, UserState } from '../store/index.js';
import type { EvaluationStatus } from './evaluation-report.js';
import { lossChart } from './loss-chart.js';
import { modelReport, type ModelReport } from './model-report.js';

export interface OperationsView {
  readonly counts: Record<UserState, number>;
  /** Newest first, at most RUN_HISTORY. */
  readonly runs: readonly RunRecord[];
  readonly model: ModelReport | null;
  /** Trusted SVG markup, or null when the run reported no loss. */
  readonly lossChart: string | null;
  /** null when this app has no place to look for one (no dataset folder known). */
  readonly evaluation: EvaluationStatus | null;
  /** The time the page was made, epoch ms (for durations of running runs). */
  readonly now: number;
}

export interface OperationsDeps {
  readonly store: Pick<Store, 'countUsersByState' | 'listRuns' | 'getRun'>;
  readonly currentModel?: Pick<CurrentModel, 'inService'>;
  readonly evaluation?: () => Promise<EvaluationStatus>;
  readonly now?: () => number;
}

export const RUN_HISTORY = 25;

export interface Operations {
  view(): Promise<OperationsView>;
}

export function createOperations(deps: OperationsDeps): Operations {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  return {
    async view() {
      const [counts, runs, evaluation] = await Promise.all([
        store.countUsersByState(),
        store.listRuns({ limit: RUN_HISTORY }),
        deps.evaluation ? deps.evaluation() : Promise.resolve(null),
      ]);
      const model = await modelReport(deps.currentModel?.inService() ?? null, { recentRuns: runs, getRun: (id) => store.getRun(id) });
      return { counts, runs, model, lossChart: model ? lossChart(model.iterations, model.engine) : null, evaluation, now: now() };
    },
  };
}
