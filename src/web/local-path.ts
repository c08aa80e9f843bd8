/** Where to go after logging in: a path on this site only (never another origin, so no open redirect), else null. */

const BASE = 'http://moviehunter.invalid';
const MAX_LENGTH = 2000;

export function localPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return null;
  // "//host" and "/\host" are other origins to a browser; control characters and backslashes have no place here.
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\') || hasControlCharacter(value)) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  return `${url.pathname}${url.search}`;
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** The log-in page's address, coming back to `path` afterwards when it is a local one other than home. */
export function logInPath(path: unknown): string {
  const next = localPath(path);
  return next === null || next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}
