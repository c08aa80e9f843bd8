/** A seeded pseudo-random stream: the same seed gives the same sequence on every machine. */
export interface Random {
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Standard normal (mean 0, variance 1), Box–Muller. */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/**
 * xoshiro128** (Blackman & Vigna), seeded through splitmix32 so that nearby seeds give unrelated streams.
 * Any safe integer is a valid seed; its high and low 32 bits both matter.
 */
export function createRandom(seed: number): Random {
  if (!Number.isSafeInteger(seed)) throw new Error(`createRandom: seed must be a safe integer, got ${seed}`);
  let mix = (seed >>> 0) ^ Math.imul(Math.floor(seed / 0x1_0000_0000) >>> 0, 0x9e3779b1);
  const splitmix32 = (): number => {
    mix = (mix + 0x9e3779b9) | 0;
    let z = mix;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitmix32();
  let s1 = splitmix32();
  let s2 = splitmix32();
  let s3 = splitmix32();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };

  let spareNormal = NaN; // Box–Muller makes two normals at a time
  const next = (): number => nextUint32() / 0x1_0000_0000;
  return {
    next,
    normal(): number {
      if (!Number.isNaN(spareNormal)) {
        const z = spareNormal;
        spareNormal = NaN;
        return z;
      }
      const u = 1 - next(); // (0, 1]: log(0) is not allowed
      const v = next();
      const radius = Math.sqrt(-2 * Math.log(u));
      spareNormal = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    int(n: number): number {
      if (!Number.isInteger(n) || n <= 0 || n > 0x1_0000_0000) throw new Error(`Random.int: n must be an integer in [1, 2^32], got ${n}`);
      return Math.floor(next() * n);
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
