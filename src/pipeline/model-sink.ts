import type { ItemFactorModel } from '../recommend/model.js';

/**
 * Where a newly read model goes into service (the app's CurrentModel): the start-up, the tick and the model watcher
 * hand it each model with the location of the model folder it was read from.
 */
export interface ModelSink {
  replace(model: ItemFactorModel, source?: { readonly location: string }): unknown;
}
