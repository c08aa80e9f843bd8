/** The pipeline's public API: the tick, its timer, the engines, the run-folder contract and the start-up model. */
export { createPipeline, type Pipeline, type PipelineDeps, type PipelineSettings, type TickReport, type FinishedRun } from './tick.js';
export { startTickTimer, type TickTimer, type TickTimerOptions, type Timers } from './timer.js';
export type { Engine, AwaitableEngine, EngineStatus, RunHandle } from './engines/engine.js';
export { InprocessEngine, type InprocessEngineOptions } from './engines/inprocess.js';
export { localRunFolder, localRunFolders, type RunFolder, type RunFolders } from './run-files.js';
export { writeRunInput, readRunInput, type RunInput, type RunUser } from './run-folder.js';
export { readRunOutput, type RunOutput, type RecommendedMovie, type ExplainedCandidate } from './run-output.js';
export { readModel, writeModel, readModelAt, writeModelAt } from './model-folder.js';
export type { ModelSink } from './model-sink.js';
export { PICK_RATING, RUN_CANDIDATES, RUN_TOP_N, type RunParams } from './run-params.js';
export { loadOrTrainBaseModel, modelPointerIn, type LoadedModel } from './base-model.js';
export { pipelineSettingsOf, runParamsOf, ratingsPathIn } from './settings.js';
export { startEmbeddedPipeline, type EmbeddedPipeline } from './embedded.js';
