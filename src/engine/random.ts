// Named random streams. Every source of randomness in a model owns one stream, seeded from
// (scenario seed, replication index, stream name), so that changing one source (say, the
// staffing, which reorders service starts) never shifts the numbers another source draws:
// the basis of common random numbers.
//
// seedrandom's xor4096 (Brent's xorgens, period 2^4096 - 1) is used rather than its default
// ARC4, which runs at about 15 M numbers/s here against ~130 M/s for xor4096's int32().

import seedrandom from 'seedrandom';

const TWO_POW_M32 = 2.3283064365386963e-10;

export class RandomStream {
  private readonly g: { int32(): number };
  readonly name: string;

  constructor(seed: string, name: string) {
    this.name = name;
    this.g = seedrandom.xor4096(seed);
  }

  /**
   * A uniform in the open interval (0, 1) on a 2^-32 grid: never 0 and never 1, so that
   * -log1p(-u), log(u) and inverse CDFs stay finite.
   */
  u(): number {
    return ((this.g.int32() >>> 0) + 0.5) * TWO_POW_M32;
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
