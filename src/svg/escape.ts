/** Text and attribute values for SVG (XML) markup built as strings: every piece of data goes through here. */

// Characters XML 1.0 does not allow at all (C0 controls but tab, newline, return; lone surrogates; U+FFFE/U+FFFF).
// eslint-disable-next-line no-control-regex -- matching control characters is this regex's job
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an SVG element's content or a quoted attribute value, dropping characters XML forbids. */
export function escapeXml(value: unknown): string {
  return String(value).replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A coordinate or length for an attribute: at most two decimals, no "-0", never NaN (0 instead). */
export function num(value: number): string {
  if (!Number.isFinite(value)) return '0';
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** id attribute values: letters, digits, - and _ only, so they can be used in aria-labelledby and url(#…). */
export function safeId(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_-]/g, '-');
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `id-${cleaned}`;
}
