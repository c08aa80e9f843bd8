import { closeSync, openSync, writeSync } from 'node:fs';

/** Appends text and integers into a large buffer and writes it out in big chunks (no string per line). */
export class ByteWriter {
  private readonly fd: number;
  private readonly buffer: Buffer;
  private used = 0;
  /** Bytes handed to the file so far. */
  written = 0;

  constructor(readonly path: string, chunkBytes = 1 << 22) {
    this.fd = openSync(path, 'w');
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /** Any UTF-8 text; a line is short next to the chunk, so room is made before writing. */
  text(value: string): void {
    const length = Buffer.byteLength(value);
    if (this.used + length > this.buffer.length) this.flush();
    if (length > this.buffer.length) {
      this.written += writeSync(this.fd, value);
      return;
    }
    this.used += this.buffer.write(value, this.used);
  }

  /** A non-negative integer in decimal. */
  uint(value: number): void {
    if (this.used + 16 > this.buffer.length) this.flush();
    const buffer = this.buffer;
    if (value === 0) {
      buffer[this.used++] = 48;
      return;
    }
    let digits = 0;
    for (let v = value; v > 0; v = Math.floor(v / 10)) digits++;
    let at = this.used + digits;
    this.used = at;
    for (let v = value; v > 0; v = Math.floor(v / 10)) buffer[--at] = 48 + (v % 10);
  }

  /** One byte, e.g. a comma or a line feed. */
  byte(value: number): void {
    if (this.used >= this.buffer.length) this.flush();
    this.buffer[this.used++] = value;
  }

  /** Pre-encoded bytes (e.g. a rating like "4.5"). */
  bytes(value: Uint8Array): void {
    if (this.used + value.length > this.buffer.length) this.flush();
    this.buffer.set(value, this.used);
    this.used += value.length;
  }

  flush(): void {
    let offset = 0;
    while (offset < this.used) offset += writeSync(this.fd, this.buffer, offset, this.used - offset);
    this.written += this.used;
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
