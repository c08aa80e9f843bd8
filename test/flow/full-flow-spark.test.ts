/** The whole flow with ENGINE=spark-local: spark/als_job.py on local Spark trains the base model and every run. */
import { describeFullFlow } from './full-flow-scenario.js';

describeFullFlow('full flow, spark-local engine', { env: { ENGINE: 'spark-local', SPARK_MASTER: 'local[2]' }, engine: 'spark-local', readyWithinMs: 180_000 });
