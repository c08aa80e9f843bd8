/** Who may open the operations page: accounts whose stored role is admin, or whose name ADMIN_USERNAMES lists. */
import { usernameKey, type Role } from '../store/index.js';

/** Names compare as the store compares them (NFKC, case-insensitive), so "Ａdmin" in the config matches "admin". */
export function isAdmin(user: { readonly username: string; readonly role?: Role | null }, adminUsernames: readonly string[]): boolean {
  if (user.role === 'admin') return true;
  const key = usernameKey(user.username);
  return adminUsernames.some((name) => usernameKey(name) === key);
}
