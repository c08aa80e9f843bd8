/**
 * Document ids. Firestore forbids '/' in an id, the ids '.' and '..', ids shaped like `__name__`, and more than
 * 1,500 bytes; the store's ids (validate.ts: up to 256 characters of anything) are escaped into a valid id instead.
 */
import { createHash } from 'node:crypto';

/**
 * A valid, one-to-one document id for any non-empty string of at most 256 UTF-16 units: '%' and '/' are
 * percent-escaped, and a leading character that would make the id reserved ('.', '..', `__…__`) too.
 * UUIDs and other plain ids come out unchanged. At most 768 bytes, well under Firestore's 1,500.
 */
export function docId(value: string): string {
  const escaped = value.replace(/[%/]/g, (c) => (c === '%' ? '%25' : '%2F'));
  if (escaped === '.' || escaped === '..' || /^__.*__$/s.test(escaped)) {
    return `%${escaped.charCodeAt(0).toString(16).toUpperCase()}${escaped.slice(1)}`;
  }
  return escaped;
}

/**
 * The id of a username's reservation document: the SHA-256 of its key (validate.ts usernameKey). A hash, because an
 * NFKC-normalised name of 256 characters can grow past the id limit; the key itself is kept in the document.
 */
export function usernameDocId(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
