import { prepareModel, type PreparedModel } from '../recommend/foldin.js';
import type { ItemFactorModel } from '../recommend/model.js';

/**
 * Where a model in service came from, told by whoever replaces it: the model folder's location
 * (…/runs/<id>/model for a run's model, local or gs://; the base model's folder otherwise).
 */
export interface ModelSource {
  readonly location: string;
}

export interface ModelInService {
  readonly model: PreparedModel;
  /** null when the replacer did not say (the operations page then finds the run by the model's training time). */
  readonly source: ModelSource | null;
  /** When it went into service, epoch ms. */
  readonly since: number;
}

/**
 * The model quick recommendations use right now. The pipeline replaces it after each successful run;
 * readers take whatever is current at the start of their request, so a swap never mixes two models.
 */
export class CurrentModel {
  private current: ModelInService | null = null;
  private readonly listeners = new Set<(model: PreparedModel) => void>();

  /** The prepared model, or null before the first one is loaded. */
  get(): PreparedModel | null {
    return this.current?.model ?? null;
  }

  /** The model with where it came from and since when (the operations page), or null before the first. */
  inService(): ModelInService | null {
    return this.current;
  }

  /** Prepares the model (Gram matrix, id index) and makes it current; `source` says where it was read from. */
  replace(model: ItemFactorModel, source?: ModelSource): PreparedModel {
    const prepared = prepareModel(model);
    this.current = { model: prepared, source: source ?? null, since: Date.now() };
    for (const listener of this.listeners) listener(prepared);
    return prepared;
  }

  /** Calls back after every replace; returns the unsubscribe function. */
  onReplace(listener: (model: PreparedModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
