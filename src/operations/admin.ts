/**
 * Who may open the operations page: accounts whose stored role is admin. The role belongs to the account, never to a
 * name: anyone can sign up under any free name, so only an operator with access to the store (`npm run admin`) grants it.
 */
import type { Role, Store, User } from '../store/index.js';

export function isAdmin(user: { readonly role?: Role | null }): boolean {
  return user.role === 'admin';
}

/** Gives (`admin`) or takes (`user`) the role of the account named `username`, compared as the store compares names. */
export async function setRole(store: Pick<Store, 'findUserByUsername' | 'setUserRole'>, username: string, role: Role): Promise<User> {
  const user = await store.findUserByUsername(username.trim());
  if (!user) throw new NoSuchAccountError(username);
  const updated = await store.setUserRole(user.id, role);
  if (!updated) throw new NoSuchAccountError(username);
  return updated;
}

export class NoSuchAccountError extends Error {
  constructor(username: string) {
    super(`There is no account named ${JSON.stringify(username)}: sign up first, then grant.`);
    this.name = 'NoSuchAccountError';
  }
}
