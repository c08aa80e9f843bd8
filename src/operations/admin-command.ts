/** `npm run admin -- grant|revoke USER`: the one way an account gets (or loses) admin rights; scripts/admin.ts runs it. */
import type { Store } from '../store/index.js';
import { setRole } from './admin.js';

export const ADMIN_USAGE = 'usage: npm run admin -- grant USERNAME | revoke USERNAME';

/** Runs the command in `args` against `store`; a usage or lookup problem throws with a message for the operator. */
export async function runAdminCommand(args: readonly string[], store: Pick<Store, 'findUserByUsername' | 'setUserRole'>): Promise<string> {
  const [verb, username, ...rest] = args;
  if ((verb !== 'grant' && verb !== 'revoke') || !username || rest.length > 0) throw new Error(ADMIN_USAGE);
  const user = await setRole(store, username, verb === 'grant' ? 'admin' : 'user');
  return verb === 'grant' ? `${user.username} is now an admin.` : `${user.username} is no longer an admin.`;
}
