/** Implicit-feedback ALS: the public API of src/recommend/als. */
export { trainAls, type AlsIteration, type AlsResult } from './train.js';
export {
  defaultAlsOptions,
  validateAlsOptions,
  resolveAlsOptions,
  resolveSolver,
  rowRegularization,
  type AlsOptions,
} from './params.js';
export { toConfidence, fillConfidence, type ConfidenceParams } from './confidence.js';
export { solveRow, createRowScratch, type RowScratch } from './half-step.js';
export { solveRowCg } from './cg.js';
export { implicitLoss } from './loss.js';
