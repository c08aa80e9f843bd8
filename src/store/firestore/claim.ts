/**
 * claimPendingUsers: pending users, oldest first, move to `running` in a run. Each transaction queries the oldest
 * pending users and rewrites them, so two claims (on any clients) that read the same users conflict and one of them
 * runs again on fresh data: no user is handed to two runs. A large claim is taken in several transactions of at most
 * USERS_PER_TRANSACTION users; each is atomic, re-checks that the run is still running, and moves the claim
 * sequence past the numbers it took (queue.ts).
 */
import type { ClaimedUser } from '../store.js';
import { transaction } from './context.js';
import type { Db } from './context.js';
import type { StatusFields, UserDoc } from './documents.js';
import { docId } from './ids.js';
import { shapedQuery } from './queries.js';
import { markClaimed, readQueue } from './queue.js';
import { activeRun } from './runs.js';

export async function claimPendingUsers(db: Db, runId: string, limit: number, now: number): Promise<ClaimedUser[]> {
  const runRef = db.cols.runs.doc(docId(runId));
  const claimed: ClaimedUser[] = [];
  for (;;) {
    const want = Math.min(limit - claimed.length, db.usersPerTransaction);
    const batch = await transaction(db, async (tx) => {
      const run = activeRun(await tx.get(runRef), runId);
      if (want === 0) return [];
      const pending = await tx.get(shapedQuery(db.cols, 'pendingUsersOldestFirst', { equals: { state: 'pending' }, limit: want }));
      const users = pending.docs.map((doc) => ({ ref: doc.ref, user: doc.data() as UserDoc }));
      if (users.length > 0) markClaimed(db, tx, await readQueue(db, tx), users.map(({ user }) => user.queueNumber));
      const running: Partial<StatusFields> = { state: 'running', runId, stateUpdatedAt: now };
      for (const { ref } of users) tx.update(ref, running);
      if (users.length > 0) tx.update(runRef, { users: run.users + users.length });
      return users.map(({ user }) => ({ userId: user.id, generation: user.generation, movieIds: [...user.picks] }));
    });
    claimed.push(...batch);
    if (batch.length < want || claimed.length >= limit) return claimed;
  }
}
