import { resolve } from 'node:path';
import { z } from 'zod';
import { repoRoot } from './paths.js';

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: integer(0, 65535).default(3000),
    DATA_DIR: z.string().min(1).default(resolve(repoRoot, 'data')),
    // Unset: the developers' ../shared copy, else DATA_DIR/ml-latest-small, downloaded on first start (src/bootstrap/movielens.ts).
    MOVIELENS_DIR: z.string().min(1).optional(),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    STORE: z.enum(['sqlite', 'firestore']).default('sqlite'),
    ENGINE: z.enum(['inprocess', 'spark-local', 'dataproc']).default('inprocess'),
    TICK_SECONDS: integer(1, 86_400).default(5),
    BCRYPT_COST: integer(4, 15).default(12),
    GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
    GCS_BUCKET: z.string().min(1).optional(),
    DATAPROC_REGION: z.string().min(1).optional(),
    DATAPROC_MODE: z.enum(['serverless', 'cluster']).default('serverless'),
    // Unset: `info`, or `silent` when NODE_ENV=test (see src/log.ts).
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    // Proxies in front of the app whose X-Forwarded-* headers are believed (App Engine: 1); 0 trusts none.
    TRUST_PROXY: integer(0, 10).default(0),
    // Sessions expire after this long without a request (the expiry rolls forward on every request).
    SESSION_TTL_HOURS: integer(1, 24 * 90).default(24 * 7),
    RATE_LIMIT_WINDOW_SECONDS: integer(1, 86_400).default(900),
    RATE_LIMIT_SIGNUP_PER_ADDRESS: integer(1, 100_000).default(10),
    // Failed log-ins per window; successful ones are not counted.
    RATE_LIMIT_LOGIN_PER_ADDRESS: integer(1, 100_000).default(30),
    RATE_LIMIT_LOGIN_PER_ACCOUNT: integer(1, 100_000).default(10),
    // The bearer token POST /internal/tick requires; unset, the route does not exist (it is never open).
    TICK_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    // Failed runs a user's picks get before the user is `failed`.
    RUN_MAX_ATTEMPTS: integer(1, 100).default(3),
    // A run without a result this long after it started is cancelled and its users retried.
    RUN_TIMEOUT_SECONDS: integer(1, 7 * 86_400).default(900),
    // Users claimed into one run at most.
    RUN_MAX_USERS: integer(1, 1_000_000).default(1000),
    // The batch model's rank and ALS iterations (the other ALS parameters are tuned defaults, src/recommend/als/params.ts).
    ALS_RANK: integer(1, 1024).default(64),
    ALS_ITERATIONS: integer(1, 1000).default(15),
    // ENGINE=spark-local: the Python that has pyspark (set up by `npm test` in spark/.venv), and the Spark master.
    SPARK_PYTHON: z.string().min(1).default(resolve(repoRoot, 'spark', '.venv', 'bin', 'python')),
    SPARK_MASTER: z.string().min(1).default('local[*]'),
    // How quick recommendations score picks: 'itemsim' (picks·V·Vᵀ) by `npm run evaluate`, protocol B, 10 folds, 599 new
    // users of ml-latest-small, 5 picks: R@12/NDCG@12 itemsim 0.132/0.408, fold-in with tuned λ 0.136/0.405, plain fold-in
    // 0.127/0.373, popularity 0.088/0.331 — itemsim ties the best, needs no tuning and explains itself simply.
    QUICK_METHOD: z.enum(['foldin', 'itemsim', 'blend']).default('itemsim'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production' });
    }
  });

export type Config = Readonly<z.infer<typeof schema>>;

/** Reads and validates every setting from the environment; throws one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty variables count as unset, as a shell user expects from `FOO= npm start`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
