/**
 * The folder every peer of bench-peers writes (scripts/peers/peer_common.py describes it for the Python peers):
 * user_ids.i32 / item_ids.i32 (little-endian int32 dataset ids), user_factors.f32 / item_factors.f32 (little-endian
 * float32, rows × rank, row-major, in the ids' order), and result.json last.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { float32ToLittleEndian, littleEndianToFloat32 } from '../../src/recommend/artifact.js';

export const RESULT_FILE = 'result.json';

export interface PeerIteration {
  readonly iteration: number;
  readonly seconds: number;
  /** MovieHunter's implicit objective (λ·n scaling) after this iteration; absent when not computed. */
  readonly loss?: number;
}

/** result.json. */
export interface PeerResult {
  readonly engine: string;
  readonly rank: number;
  readonly users: number;
  readonly items: number;
  readonly ratings: number;
  /** Wall time of the fit call alone, as the peer measured it. */
  readonly trainSeconds: number;
  readonly iterations: readonly PeerIteration[];
  /** getrusage's peak RSS of the peer process (and its waited-for children). */
  readonly peakRssBytes: number;
  readonly params?: Record<string, unknown>;
  readonly version?: string;
}

export interface PeerFactors {
  readonly result: PeerResult;
  readonly rank: number;
  readonly userIds: Int32Array;
  readonly userFactors: Float32Array;
  readonly itemIds: Int32Array;
  readonly itemFactors: Float32Array;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function writePeerExport(dir: string, factors: Omit<PeerFactors, 'result'>, result: PeerResult): void {
  if (!littleEndian) throw new Error('bench-peers writes little-endian ids: this host is big-endian');
  mkdirSync(dir, { recursive: true });
  for (const side of ['user', 'item'] as const) {
    const ids = side === 'user' ? factors.userIds : factors.itemIds;
    const values = side === 'user' ? factors.userFactors : factors.itemFactors;
    writeFileSync(join(dir, `${side}_ids.i32`), new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength));
    writeFileSync(join(dir, `${side}_factors.f32`), float32ToLittleEndian(values));
  }
  writeFileSync(join(dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
}

/** Reads and checks one export folder. */
export function readPeerExport(dir: string): PeerFactors {
  if (!littleEndian) throw new Error('bench-peers reads little-endian ids: this host is big-endian');
  const result = JSON.parse(readFileSync(join(dir, RESULT_FILE), 'utf8')) as PeerResult;
  const rank = result.rank;
  if (!Number.isInteger(rank) || rank < 1) throw new Error(`${dir}/${RESULT_FILE}: rank ${rank} is not a positive integer`);
  const read = (side: 'user' | 'item'): { ids: Int32Array; factors: Float32Array } => {
    const idBytes = readFileSync(join(dir, `${side}_ids.i32`));
    const ids = new Int32Array(idBytes.buffer.slice(idBytes.byteOffset, idBytes.byteOffset + idBytes.byteLength));
    const factors = littleEndianToFloat32(readFileSync(join(dir, `${side}_factors.f32`)));
    if (factors.length !== ids.length * rank) {
      throw new Error(`${dir}: ${side}_factors.f32 holds ${factors.length} values for ${ids.length} ids × rank ${rank}`);
    }
    for (let n = 0; n < factors.length; n++) {
      if (!Number.isFinite(factors[n])) throw new Error(`${dir}: ${side}_factors.f32 holds a value that is not finite`);
    }
    return { ids, factors };
  };
  const users = read('user');
  const items = read('item');
  return { result, rank, userIds: users.ids, userFactors: users.factors, itemIds: items.ids, itemFactors: items.factors };
}
