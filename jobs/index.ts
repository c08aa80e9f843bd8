/**
 * The Cloud Scheduler target, deployed as an HTTP Cloud Function (entry point `tick`): every call from the
 * scheduler's service account runs one tick. The pipeline is built on the first call and kept for the instance's life.
 */
import * as functions from '@google-cloud/functions-framework';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { createCloudTick, type CloudTick } from '../src/bootstrap/pipeline.js';
import { googleCerts, verifyCaller } from './oidc.js';
import { createTickHandler } from './tick-handler.js';

const config = loadConfig();
const logger = createLogger(config).child({ part: 'tick-function' });
const { TICK_AUDIENCE: audience, TICK_INVOKER: invoker } = config;
if (!audience || !invoker) throw new Error('TICK_AUDIENCE and TICK_INVOKER are required: only Cloud Scheduler\'s OIDC calls may run a tick');

let cloudTick: Promise<CloudTick> | null = null;
const certs = googleCerts();

functions.http(
  'tick',
  createTickHandler({
    verify: (authorization) => verifyCaller(authorization, { audience, invoker, certs }),
    tick: async () => {
      cloudTick ??= createCloudTick(config, logger).catch((err: unknown) => {
        cloudTick = null; // the next call tries again
        throw err;
      });
      return (await cloudTick).tick();
    },
    logger,
  }),
);
