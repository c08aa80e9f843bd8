/** The whole flow on the embedded default: the inprocess engine. */
import { describeFullFlow } from './full-flow-scenario.js';

describeFullFlow('full flow, inprocess engine', { env: {}, engine: 'inprocess', readyWithinMs: 60_000 });
