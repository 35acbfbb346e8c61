// Named random streams. Every source of randomness in a model owns one stream, seeded from
// (scenario seed, replication index, stream name), so that changing one source (say, the
// staffing, which reorders service starts) never shifts the numbers another source draws:
// the basis of common random numbers.
//
// The generator is Brent's xorgens xor4096 (period 2^4096 - 1, combined with a Weyl sequence),
// written out here so that it gives, output for output, the same numbers as seedrandom's
// xor4096 with the same string seed (test/fast-path.test.ts checks it against the package). Why not
// call the package: its generator is a closure over a plain object, one call per draw that V8
// does not inline into the model's hot loop; as a class over an Int32Array it is inlined, and
// the M/M/c+M bench draws three uniforms per contact (bench/run.mjs).

const TWO_POW_M32 = 2.3283064365386963e-10;

export class RandomStream {
  private readonly x = new Int32Array(128);
  private w = 0;
  private i = 0;
  readonly name: string;

  constructor(seed: string, name: string) {
    this.name = name;
    // Seeding exactly as seedrandom's xor4096 does for a string key.
    const key = seed + '\0';
    const x = this.x;
    const limit = Math.max(128, key.length);
    let v = 0, w = 0, zeros = 0;
    for (let j = -32; j < limit; ++j) {
      v ^= key.charCodeAt((j + 32) % key.length);
      if (j === 0) w = v;
      v ^= v << 10;
      v ^= v >>> 15;
      v ^= v << 4;
      v ^= v >>> 13;
      if (j >= 0) {
        w = (w + 0x61c88647) | 0;
        const t = (x[j & 127] ^= v + w);
        zeros = t === 0 ? zeros + 1 : 0;
      }
    }
    if (zeros >= 128) x[key.length & 127] = -1;
    // 512 warm-up steps of the xorshift part (the Weyl sequence does not advance).
    let i = 127;
    for (let j = 4 * 128; j > 0; --j) {
      let a = x[(i + 34) & 127];
      let b = x[(i = (i + 1) & 127)];
      a ^= a << 13;
      b ^= b << 17;
      a ^= a >>> 15;
      b ^= b >>> 12;
      x[i] = a ^ b;
    }
    this.w = w;
    this.i = i;
  }

  /** The next 32 random bits as a signed int32 (seedrandom's int32()). */
  int32(): number {
    const x = this.x;
    const w = (this.w = (this.w + 0x61c88647) | 0);
    let a = x[(this.i + 34) & 127];
    const i = (this.i = (this.i + 1) & 127);
    let b = x[i];
    a ^= a << 13;
    b ^= b << 17;
    a ^= a >>> 15;
    b ^= b >>> 12;
    a = x[i] = a ^ b;
    return (a + (w ^ (w >>> 16))) | 0;
  }

  /**
   * A uniform in the open interval (0, 1) on a 2^-32 grid: never 0 and never 1, so that
   * -log1p(-u), log(u) and inverse CDFs stay finite.
   */
  u(): number {
    return ((this.int32() >>> 0) + 0.5) * TWO_POW_M32;
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.u()) * mean; // 1 - u is exact and > 0 on our grid
  }
}

/** The seed string of a stream; documented so that results can be reproduced elsewhere. */
export function streamSeed(seed: number, replication: number, name: string): string {
  return `peakplan/${seed}/${replication}/${name}`;
}

export function openStream(seed: number, replication: number, name: string): RandomStream {
  return new RandomStream(streamSeed(seed, replication, name), name);
}
