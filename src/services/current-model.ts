import { prepareModel, type PreparedModel } from '../recommend/foldin.js';
import type { ItemFactorModel } from '../recommend/model.js';

/**
 * The model quick recommendations use right now. The pipeline replaces it after each successful run;
 * readers take whatever is current at the start of their request, so a swap never mixes two models.
 */
export class CurrentModel {
  private prepared: PreparedModel | null = null;
  private readonly listeners = new Set<(model: PreparedModel) => void>();

  /** The prepared model, or null before the first one is loaded. */
  get(): PreparedModel | null {
    return this.prepared;
  }

  /** Prepares the model (Gram matrix, id index) and makes it current. */
  replace(model: ItemFactorModel): PreparedModel {
    const prepared = prepareModel(model);
    this.prepared = prepared;
    for (const listener of this.listeners) listener(prepared);
    return prepared;
  }

  /** Calls back after every replace; returns the unsubscribe function. */
  onReplace(listener: (model: PreparedModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
