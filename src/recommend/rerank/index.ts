export { rerank, rerankExplained, rerankedPositions, genreJaccard, type ExplainedCandidates, type ItemFacts, type RerankCandidates, type RerankedItem, type RerankOptions } from './rerank.js';
export { candidatesFromScorer, CANDIDATE_COUNT } from './candidates.js';
export { HEAD_SIZE, headOf, itemFacts, itemGenresOf } from './item-facts.js';
export { CALIBRATION_ALPHA, calibrationKl, genreMix, type ItemGenres } from './genre-mix.js';
export { DEFAULT_DISCOVERY_STEP, DISCOVERY_STEPS, discoverySetting, quickCandidateKey, quickOptionsOf, type DiscoverySetting, type DiscoveryStep, type QuickCandidateSetting } from './steps.js';
