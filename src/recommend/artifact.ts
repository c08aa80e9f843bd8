/**
 * The model artifact of the run-folder contract (docs/run-folder.md), encoded and decoded in memory (no I/O here).
 *
 * model/manifest.json — plain JSON, also written by the Spark job:
 *   {
 *     "format": "moviehunter-item-factors",   // fixed
 *     "version": 1,                            // fixed; readers refuse other versions
 *     "rank": 64,                              // factors per item, > 0
 *     "itemCount": 9724,                       // === itemIds.length
 *     "itemIds": [1, 2, 3, ...],               // dataset movie ids, distinct int32, the row order of the factors
 *     "dtype": "float32",                      // fixed
 *     "byteOrder": "little",                   // fixed
 *     "file": "item_factors.f32",              // the factors file, beside the manifest
 *     "engine": "inprocess",                   // who trained it: inprocess | spark-local | dataproc
 *     "trainedAt": "2024-01-01T00:00:00.000Z", // ISO-8601
 *     "params": { "rank": 64, "iterations": 15, "regularization": 0.1, "alpha": 40,
 *                 "ratingThreshold": null, "scaleRegularization": true, "seed": 42 }
 *   }
 * model/item_factors.f32 — itemCount × rank float32, little-endian, row-major, no header;
 *   exactly itemCount·rank·4 bytes, every value finite.
 */
import type { ItemFactorModel, ModelParams } from './model.js';

export const MODEL_FORMAT = 'moviehunter-item-factors';
export const MODEL_VERSION = 1;
export const FACTORS_FILE = 'item_factors.f32';
export const MANIFEST_FILE = 'manifest.json';

export interface ModelManifest {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  readonly rank: number;
  readonly itemCount: number;
  readonly itemIds: number[];
  readonly dtype: 'float32';
  readonly byteOrder: 'little';
  readonly file: string;
  readonly engine: string;
  readonly trainedAt: string;
  readonly params: ModelParams;
}

/** Names used in error messages: the paths the bytes came from. */
export interface ArtifactNames {
  readonly manifest: string;
  readonly factors: string;
}

const DEFAULT_NAMES: ArtifactNames = { manifest: `model/${MANIFEST_FILE}`, factors: `model/${FACTORS_FILE}` };

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The manifest object and the factor bytes of a model; validates the model first. */
export function encodeModel(model: ItemFactorModel): { manifest: ModelManifest; factors: Uint8Array } {
  const { rank, itemIds, itemFactors } = model;
  const where = 'encodeModel';
  if (!Number.isInteger(rank) || rank <= 0) throw new Error(`${where}: rank must be a positive integer, got ${rank}`);
  if (itemFactors.length !== itemIds.length * rank) {
    throw new Error(`${where}: ${itemFactors.length} factors, expected ${itemIds.length} items × ${rank}`);
  }
  checkDistinct(Array.from(itemIds), where);
  checkFinite(itemFactors, rank, itemIds, where);
  checkParams(model.params, rank, where);
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    rank,
    itemCount: itemIds.length,
    itemIds: Array.from(itemIds),
    dtype: 'float32',
    byteOrder: 'little',
    file: FACTORS_FILE,
    engine: model.engine,
    trainedAt: model.trainedAt,
    params: { ...model.params },
  };
  return { manifest, factors: float32ToLittleEndian(itemFactors) };
}

/** Manifest JSON as written to disk: one key a line, itemIds on a single line (60k ids stay one line). */
export function formatManifest(manifest: ModelManifest): string {
  const lines = Object.entries(manifest).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** Parses and checks a manifest and its factor bytes; every disagreement is an error naming the file. */
export function decodeModel(manifestText: string, factors: Uint8Array, names: ArtifactNames = DEFAULT_NAMES): ItemFactorModel {
  return modelFromManifest(parseManifest(manifestText, names.manifest), factors, names);
}

/** decodeModel for a manifest already parsed with parseManifest. */
export function modelFromManifest(manifest: ModelManifest, factors: Uint8Array, names: ArtifactNames = DEFAULT_NAMES): ItemFactorModel {
  const { rank, itemCount } = manifest;
  const expected = itemCount * rank * 4;
  if (factors.byteLength !== expected) {
    throw new Error(
      `${names.factors}: ${n(factors.byteLength)} bytes, manifest says ${n(itemCount)} × ${n(rank)} × 4 = ${n(expected)}`,
    );
  }
  const itemIds = Int32Array.from(manifest.itemIds);
  const itemFactors = littleEndianToFloat32(factors);
  checkFinite(itemFactors, rank, itemIds, names.factors);
  return { rank, itemIds, itemFactors, params: manifest.params, engine: manifest.engine, trainedAt: manifest.trainedAt };
}

/** Reads and validates manifest text; exported for readers that need `file` before reading the factors. */
export function parseManifest(text: string, name: string = DEFAULT_NAMES.manifest): ModelManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${name}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (!isRecord(raw)) throw new Error(`${name}: expected a JSON object`);
  const m = raw;
  if (m.format !== MODEL_FORMAT) throw new Error(`${name}: format is ${show(m.format)}, expected "${MODEL_FORMAT}"`);
  if (m.version !== MODEL_VERSION) throw new Error(`${name}: version ${show(m.version)} is not supported (this reader knows version ${MODEL_VERSION})`);
  if (m.dtype !== 'float32') throw new Error(`${name}: dtype is ${show(m.dtype)}, expected "float32"`);
  if (m.byteOrder !== 'little') throw new Error(`${name}: byteOrder is ${show(m.byteOrder)}, expected "little"`);
  if (!Number.isInteger(m.rank) || (m.rank as number) <= 0) throw new Error(`${name}: rank must be a positive integer, got ${show(m.rank)}`);
  if (!Array.isArray(m.itemIds)) throw new Error(`${name}: itemIds must be an array of movie ids`);
  if (!Number.isInteger(m.itemCount) || (m.itemCount as number) <= 0) throw new Error(`${name}: itemCount must be a positive integer, got ${show(m.itemCount)}`);
  if (m.itemCount !== m.itemIds.length) throw new Error(`${name}: itemCount is ${n(m.itemCount as number)} but itemIds has ${n(m.itemIds.length)} entries`);
  checkIds(m.itemIds, name);
  if (typeof m.file !== 'string' || !/^[\w.-]+$/.test(m.file) || m.file.startsWith('.')) {
    throw new Error(`${name}: file must be a plain file name beside the manifest, got ${show(m.file)}`);
  }
  if (typeof m.engine !== 'string' || m.engine === '') throw new Error(`${name}: engine must be a non-empty string, got ${show(m.engine)}`);
  if (typeof m.trainedAt !== 'string' || Number.isNaN(Date.parse(m.trainedAt))) throw new Error(`${name}: trainedAt must be an ISO-8601 time, got ${show(m.trainedAt)}`);
  if (!isRecord(m.params)) throw new Error(`${name}: params missing (the training parameters fold-in needs)`);
  checkParams(m.params, m.rank as number, name);
  return m as unknown as ModelManifest;
}

function checkIds(ids: unknown[], name: string): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || (id as number) < -2147483648 || (id as number) > 2147483647) {
      throw new Error(`${name}: itemIds[${i}] is ${show(id)}, expected an integer movie id`);
    }
  }
  checkDistinct(ids as number[], name);
}

function checkDistinct(ids: number[], name: string): void {
  const firstAt = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) {
    const seen = firstAt.get(ids[i]);
    if (seen !== undefined) throw new Error(`${name}: movie id ${ids[i]} appears twice in itemIds (at ${seen} and ${i})`);
    firstAt.set(ids[i], i);
  }
}

/** params must be complete and consistent with the artifact's rank: fold-in relies on them. */
function checkParams(p: unknown, rank: number, name: string): asserts p is ModelParams {
  if (!isRecord(p)) throw new Error(`${name}: params missing`);
  const fail = (field: string, want: string) => {
    throw new Error(`${name}: params.${field} is ${show(p[field])}, expected ${want}`);
  };
  if (p.rank !== rank) fail('rank', `${rank} (the artifact's rank)`);
  if (!Number.isInteger(p.iterations) || (p.iterations as number) < 0) fail('iterations', 'a non-negative integer');
  if (!isFiniteNumber(p.regularization) || p.regularization < 0) fail('regularization', 'a finite number ≥ 0');
  if (!isFiniteNumber(p.alpha) || p.alpha < 0) fail('alpha', 'a finite number ≥ 0');
  if (p.ratingThreshold !== null && !isFiniteNumber(p.ratingThreshold)) fail('ratingThreshold', 'a number or null');
  if (typeof p.scaleRegularization !== 'boolean') fail('scaleRegularization', 'true or false');
  if (!Number.isInteger(p.seed)) fail('seed', 'an integer');
}

function checkFinite(factors: Float32Array, rank: number, itemIds: ArrayLike<number>, name: string): void {
  for (let at = 0; at < factors.length; at++) {
    const v = factors[at];
    if (v - v !== 0) {
      const row = Math.floor(at / rank);
      throw new Error(`${name}: factor ${at % rank} of item ${itemIds[row]} (row ${row}) is ${v}, expected a finite number`);
    }
  }
}

/** Copies float32 values into little-endian bytes: one block copy on little-endian hosts (fastPath: tests force it off). */
export function float32ToLittleEndian(values: Float32Array, fastPath = hostIsLittleEndian): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  if (fastPath) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  } else {
    const view = new DataView(out.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  }
  return out;
}

/** Little-endian bytes into a fresh, aligned Float32Array on any host (fastPath only where the host is little-endian). */
export function littleEndianToFloat32(bytes: Uint8Array, fastPath = hostIsLittleEndian): Float32Array {
  const out = new Float32Array(bytes.byteLength / 4);
  if (fastPath) {
    new Uint8Array(out.buffer).set(bytes); // byte copy: works whatever the source alignment
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function show(v: unknown): string {
  return v === undefined ? 'missing' : JSON.stringify(v);
}

/** 1234560 → "1,234,560", as the error messages quote sizes. */
function n(x: number): string {
  return x.toLocaleString('en-US');
}
