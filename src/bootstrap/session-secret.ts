import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** File name, inside DATA_DIR, of the secret made on first start. */
export const SESSION_SECRET_FILE = 'session-secret';

/**
 * The configured secret, or the one kept in DATA_DIR (made once, readable by the owner only), so sessions survive
 * restarts on one machine without any set-up. Production must configure SESSION_SECRET (config.ts enforces it).
 */
export async function loadOrCreateSessionSecret(dataDir: string, configured?: string): Promise<string> {
  if (configured) return configured;
  const path = join(dataDir, SESSION_SECRET_FILE);
  const existing = await readSecret(path);
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    // 'wx' fails when another process made it first: then theirs wins and both use it.
    await writeFile(path, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = await readSecret(path);
    if (!theirs) throw new Error(`${path}: exists but holds no session secret; delete it to make a new one`, { cause: error });
    return theirs;
  }
}

async function readSecret(path: string): Promise<string | null> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    if (text.length >= 32) return text;
    if (text.length > 0) throw new Error(`${path}: the session secret is shorter than 32 characters; delete it to make a new one`);
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
