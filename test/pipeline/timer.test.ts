import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log.js';
import { startTickTimer, type Timers } from '../../src/pipeline/timer.js';

/** Timers fired by hand: the test decides when time passes. */
class ManualTimers implements Timers {
  private readonly pending = new Map<number, { callback: () => void; ms: number }>();
  private next = 1;
  setTimeout(callback: () => void, ms: number): unknown {
    this.pending.set(this.next, { callback, ms });
    return this.next++;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** The delays of the timers waiting. */
  get delays(): number[] {
    return [...this.pending.values()].map((p) => p.ms);
  }
  /** Fires the one waiting timer. */
  fire(): void {
    assert.equal(this.pending.size, 1, 'exactly one timer waits');
    const [[id, { callback }]] = this.pending;
    this.pending.delete(id);
    callback();
  }
}

/** A tick the test finishes by hand; counts calls and the most that ever ran at once. */
function controlledTick() {
  const state = { calls: 0, running: 0, maxRunning: 0, finish: [] as ((err?: Error) => void)[] };
  const tick = () => {
    state.calls++;
    state.running++;
    state.maxRunning = Math.max(state.maxRunning, state.running);
    return new Promise<void>((resolve, reject) => {
      state.finish.push((err) => {
        state.running--;
        if (err) reject(err);
        else resolve();
      });
    });
  };
  return { state, tick };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const quiet = createLogger({ NODE_ENV: 'test' });

test('the first tick comes after the debounce, then one every interval', async () => {
  const timers = new ManualTimers();
  const { state, tick } = controlledTick();
  const timer = startTickTimer({ tick, intervalMs: 5000, debounceMs: 100, logger: quiet, timers });
  assert.deepEqual(timers.delays, [100]);
  timers.fire();
  assert.equal(state.calls, 1);
  assert.deepEqual(timers.delays, [], 'nothing scheduled while a tick runs');
  state.finish.shift()!();
  await settle();
  assert.deepEqual(timers.delays, [5000]);
  timers.fire();
  assert.equal(state.calls, 2);
  state.finish.shift()!();
  await timer.stop();
  assert.deepEqual(timers.delays, []);
});

test('a nudge brings the next tick forward, and nudges within the debounce make one tick', async () => {
  const timers = new ManualTimers();
  const { state, tick } = controlledTick();
  const timer = startTickTimer({ tick, intervalMs: 5000, debounceMs: 100, logger: quiet, timers });
  timers.fire();
  state.finish.shift()!();
  await settle();
  assert.deepEqual(timers.delays, [5000]);
  timer.nudge();
  assert.deepEqual(timers.delays, [100]);
  timer.nudge();
  timer.nudge();
  assert.deepEqual(timers.delays, [100]);
  timers.fire();
  assert.equal(state.calls, 2);
  state.finish.shift()!();
  await timer.stop();
});

test('a nudge during a tick runs one more tick right after it, never two at once', async () => {
  const timers = new ManualTimers();
  const { state, tick } = controlledTick();
  const timer = startTickTimer({ tick, intervalMs: 5000, debounceMs: 100, logger: quiet, timers });
  timers.fire();
  timer.nudge();
  timer.nudge();
  assert.deepEqual(timers.delays, []);
  state.finish.shift()!();
  await settle();
  assert.deepEqual(timers.delays, [100]);
  timers.fire();
  assert.equal(state.calls, 2);
  assert.equal(state.maxRunning, 1);
  state.finish.shift()!();
  await settle();
  assert.deepEqual(timers.delays, [5000]);
  await timer.stop();
});

test('a failing tick is logged and the timer goes on; stop() waits for the tick in progress', async () => {
  const lines: { msg: string; err?: { message: string } }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'error' }, sink);
  const timers = new ManualTimers();
  const { state, tick } = controlledTick();
  const timer = startTickTimer({ tick, intervalMs: 5000, debounceMs: 100, logger, timers });
  timers.fire();
  state.finish.shift()!(new Error('store unavailable'));
  await settle();
  assert.deepEqual(lines.map((l) => [l.msg, l.err?.message]), [['tick failed', 'store unavailable']]);
  assert.deepEqual(timers.delays, [5000]);

  timers.fire();
  let stopped = false;
  const stopping = timer.stop().then(() => (stopped = true));
  await settle();
  assert.equal(stopped, false, 'stop() waits for the tick');
  state.finish.shift()!();
  await stopping;
  timer.nudge();
  assert.deepEqual(timers.delays, [], 'no tick after stop()');
  assert.equal(state.calls, 2);
});
