/**
 * Accounts. A name is unique by its key (NFKC, lower case): `usernames/{sha256(key)}` is created in the same atomic
 * commit as `users/{id}`, and `create` fails when the document exists, so of two racing sign-ups on any number of
 * clients exactly one commits and the others get UsernameTakenError. A user's settings are fields of `users/{id}`.
 */
import { randomUUID } from 'node:crypto';
import { UserNotFoundError, UsernameTakenError } from '../errors.js';
import type { NewUser, User, UserSettings } from '../store.js';
import { usernameKey } from '../validate.js';
import type { Db } from './context.js';
import { newUserDoc, toSettings, toUser } from './documents.js';
import type { UserDoc, UsernameDoc } from './documents.js';
import { GrpcCode, grpcCode } from './errors.js';
import { docId, usernameDocId } from './ids.js';

export async function createUser(db: Db, user: Required<NewUser>): Promise<User> {
  const key = usernameKey(user.username);
  const doc = newUserDoc({
    id: randomUUID(),
    username: user.username,
    usernameKey: key,
    email: user.email,
    role: user.role,
    passwordHash: user.passwordHash,
    createdAt: user.now,
  });
  const reservation: UsernameDoc = { userId: doc.id, usernameKey: key };
  // A write-only transaction is one atomic commit: a batch says so without the extra round trip.
  const batch = db.firestore.batch();
  batch.create(db.cols.usernames.doc(usernameDocId(key)), reservation);
  batch.create(db.cols.users.doc(docId(doc.id)), doc);
  try {
    await batch.commit();
  } catch (err) {
    if (grpcCode(err) === GrpcCode.ALREADY_EXISTS) throw new UsernameTakenError(user.username);
    throw err;
  }
  return toUser(doc);
}

export async function findUserByUsername(db: Db, username: string): Promise<User | null> {
  const reservation = await db.cols.usernames.doc(usernameDocId(usernameKey(username))).get();
  if (!reservation.exists) return null;
  const user = await userDoc(db, (reservation.data() as UsernameDoc).userId);
  return user === null ? null : toUser(user);
}

export async function getUser(db: Db, userId: string): Promise<User | null> {
  const user = await userDoc(db, userId);
  return user === null ? null : toUser(user);
}

export async function getPasswordHash(db: Db, userId: string): Promise<string | null> {
  return (await userDoc(db, userId))?.passwordHash ?? null;
}

export async function getUserSettings(db: Db, userId: string): Promise<UserSettings | null> {
  const user = await userDoc(db, userId);
  return user === null ? null : toSettings(user);
}

/** One update of the user's document: it fails (NOT_FOUND) when there is no such user, so nothing is created. */
export async function saveUserSettings(db: Db, userId: string, settings: UserSettings): Promise<UserSettings> {
  try {
    await db.cols.users.doc(docId(userId)).update({ discoveryStep: settings.discoveryStep });
  } catch (err) {
    if (grpcCode(err) === GrpcCode.NOT_FOUND) throw new UserNotFoundError(userId);
    throw err;
  }
  return { discoveryStep: settings.discoveryStep };
}

/** The user's document, or null. */
export async function userDoc(db: Db, userId: string): Promise<UserDoc | null> {
  const snap = await db.cols.users.doc(docId(userId)).get();
  return snap.exists ? (snap.data() as UserDoc) : null;
}
