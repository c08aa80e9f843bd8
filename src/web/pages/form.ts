/** Reading a posted form and showing its problems next to the fields. */
import type { FieldIssue } from '../../services/errors.js';

/** The named fields of a urlencoded body, strings only (a repeated field is not a valid single value). */
export function formFields<K extends string>(body: unknown, names: readonly K[]): Record<K, string | undefined> {
  const source = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const fields = {} as Record<K, string | undefined>;
  for (const name of names) {
    const value = source[name];
    fields[name] = typeof value === 'string' ? value : undefined;
  }
  return fields;
}

/** Field name → message, for the form-field partial. */
export function fieldErrors(issues: readonly FieldIssue[] | undefined): Record<string, string> {
  return Object.fromEntries((issues ?? []).map(({ field, message }) => [field, message]));
}
