import { resolve } from 'node:path';
import { z } from 'zod';
import { defaultMovielensDir, repoRoot } from './paths.js';

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: integer(0, 65535).default(3000),
    DATA_DIR: z.string().min(1).default(resolve(repoRoot, 'data')),
    MOVIELENS_DIR: z.string().min(1).default(defaultMovielensDir),
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
