import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';
import { createLogger, drainStdout, stdoutDestination } from '../src/log.js';

/** A real stream whose writes complete only when released: a pipe whose reader has stopped reading. */
class StuckPipe extends Writable {
  readonly written: string[] = [];
  private readonly waiting: (() => void)[] = [];

  constructor() {
    super({ highWaterMark: 16, decodeStrings: false });
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    this.written.push(String(chunk));
    this.waiting.push(done);
  }

  /** The reader comes back and reads everything. */
  async readAll(): Promise<void> {
    while (this.writableLength > 0) {
      for (const done of this.waiting.splice(0)) done();
      await turn();
    }
  }

  lines(): { i?: number; dropped?: number; msg: string }[] {
    return this.written.join('').trim().split('\n').map((line) => JSON.parse(line) as { i?: number; dropped?: number; msg: string });
  }
}

const config = { LOG_LEVEL: 'info', NODE_ENV: 'production' } as const;

test('a stdout nobody reads: lines past the backlog are dropped, never blocking, and counted once it drains', async () => {
  const out = new StuckPipe();
  const logger = createLogger(config, stdoutDestination(out as unknown as NodeJS.WriteStream, 300));
  for (let i = 0; i < 50; i++) logger.info({ i }, 'line');
  assert.ok(out.writableLength < 600, `the backlog stays bounded (${out.writableLength} bytes)`);
  await out.readAll();
  const kept = out.lines();
  assert.ok(kept.length >= 2 && kept.length < 10, `${kept.length} lines kept`);
  assert.deepEqual(kept.map((line) => line.i), kept.map((_, i) => i), 'the first lines, in order');
  logger.info({ i: 50 }, 'line');
  await out.readAll();
  const [notice, next] = out.lines().slice(kept.length);
  assert.deepEqual([notice.msg, notice.dropped], ['log lines dropped: stdout was not read', 50 - kept.length]);
  assert.equal(next.i, 50);
});

test('a broken pipe (EPIPE: the reader is gone) ends the logging without an error', async () => {
  const out = new StuckPipe();
  const logger = createLogger(config, stdoutDestination(out as unknown as NodeJS.WriteStream));
  logger.info('before');
  out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  logger.info('after');
  await out.readAll();
  assert.deepEqual(out.lines().map((line) => line.msg), ['before']);
});

test('drainStdout waits for the backlog to be written, or gives up after its time', async () => {
  const stuck = new StuckPipe();
  stuck.write('x'.repeat(100));
  const began = Date.now();
  await drainStdout(100, stuck as unknown as NodeJS.WriteStream);
  assert.ok(Date.now() - began >= 90, 'gave the backlog its time');
  assert.ok(Date.now() - began < 2_000, 'and no more');
  const reading = new StuckPipe();
  reading.write('x'.repeat(100));
  setTimeout(() => void reading.readAll(), 20);
  const start = Date.now();
  await drainStdout(5_000, reading as unknown as NodeJS.WriteStream);
  assert.ok(Date.now() - start < 1_000, 'returned once drained');
});
