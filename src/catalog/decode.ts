// TextDecoder drops a UTF-8 byte-order mark by itself.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Text of a data file: UTF-8 when the bytes are valid UTF-8, else Latin-1 (ml-1m and ml-100k
 * are Latin-1, and Latin-1 accented text is almost never valid UTF-8).
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
}
