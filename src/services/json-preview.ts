/** The start of a value's JSON text, for naming a bad value in a message; iterative, so no nesting can overflow the stack. */

type Pending = { text: string } | { value: unknown };

/** At most `max` characters of JSON for `value` ("..." marks a cut); 'undefined' for undefined. */
export function jsonPreview(value: unknown, max = 30): string {
  if (value === undefined) return 'undefined';
  let out = '';
  const pending: Pending[] = [{ value }];
  while (pending.length > 0 && out.length <= max) {
    const next = pending.pop()!;
    if ('text' in next) {
      out += next.text;
      continue;
    }
    const item = next.value;
    if (Array.isArray(item)) {
      pending.push({ text: ']' });
      // Only the first few entries can show within `max` characters.
      const shown = item.slice(0, max);
      for (let i = shown.length - 1; i >= 0; i--) {
        pending.push({ value: shown[i] ?? null });
        if (i > 0) pending.push({ text: ',' });
      }
      pending.push({ text: '[' });
    } else if (typeof item === 'object' && item !== null) {
      const entries = Object.entries(item).slice(0, max);
      pending.push({ text: '}' });
      for (let i = entries.length - 1; i >= 0; i--) {
        pending.push({ value: entries[i][1] ?? null });
        pending.push({ text: `${JSON.stringify(entries[i][0])}:` });
        if (i > 0) pending.push({ text: ',' });
      }
      pending.push({ text: '{' });
    } else {
      out += JSON.stringify(item) ?? String(item);
    }
  }
  return out.length > max || pending.length > 0 ? `${out.slice(0, max - 3)}...` : out;
}
