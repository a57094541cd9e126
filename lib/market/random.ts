// Seeded randomness for the offline simulator. Every draw comes from a stream derived by hashing
// (seed, key…) — e.g. (seed, symbol, day) — so a value depends only on its key, never on how many
// other draws happened before it: adding a stock or extending a date range leaves every existing
// value unchanged. Integer arithmetic only (Math.imul, >>>), and the floating-point functions used
// on top (log, sqrt, cos, sin) are V8's portable fdlibm ports, so streams are reproducible.

export interface Random {
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform in [0, 1) with 53 bits of resolution. */
  next(): number;
  /** Standard normal variate (Box–Muller). */
  normal(): number;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * xoshiro128** (Blackman & Vigna, 2018): 128-bit state, period 2^128 − 1, passes BigCrush; state
 * must not be all zero.
 */
export class Xoshiro128 implements Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  // Box–Muller yields normals in pairs; the second waits here.
  #spare: number | null = null;

  constructor(state: readonly [number, number, number, number]) {
    [this.#a, this.#b, this.#c, this.#d] = state.map((word) => word | 0);
    if ((this.#a | this.#b | this.#c | this.#d) === 0) {
      throw new RangeError("xoshiro128** state must not be all zero");
    }
  }

  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }

  next(): number {
    const high = this.uint32() >>> 5; // 27 bits
    const low = this.uint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  normal(): number {
    if (this.#spare !== null) {
      const spare = this.#spare;
      this.#spare = null;
      return spare;
    }
    const u = 1 - this.next(); // (0, 1]: log(0) can't happen
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.#spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }
}

/** SplitMix32 step: spreads one 32-bit seed into well-mixed words for xoshiro's state. */
function splitMix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return [next, (z ^ (z >>> 15)) >>> 0];
}

/** A generator from a 32-bit seed. */
export function createRandom(seed: number): Random {
  let state = seed | 0;
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [next, word] = splitMix32(state);
    state = next;
    words.push(word);
  }
  // Four consecutive zero outputs are impossible in practice; guard anyway.
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
  return new Xoshiro128([words[0], words[1], words[2], words[3]]);
}

// MurmurHash3's block mixing and finaliser: cheap, and every input bit affects every output bit.
function mix(hash: number, word: number): number {
  let k = Math.imul(word | 0, 0xcc9e2d51);
  k = Math.imul(rotl(k, 15), 0x1b873593);
  const h = rotl(hash ^ k, 13);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalize(hash: number): number {
  let h = hash;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const encoder = new TextEncoder();
const STRING_TAG = 0x53545231;
const NUMBER_TAG = 0x4e554d31;

/**
 * A 32-bit hash of a key: strings (as UTF-8) and safe integers, type-tagged and length-prefixed so
 * that ("ab", "c"), ("a", "bc") and ("1") vs (1) all differ.
 */
export function hashKey(...parts: readonly (string | number)[]): number {
  let hash = mix(0x2545f491, parts.length);
  for (const part of parts) {
    if (typeof part === "string") {
      const bytes = encoder.encode(part);
      hash = mix(mix(hash, STRING_TAG), bytes.length);
      let word = 0;
      for (let i = 0; i < bytes.length; i++) {
        word |= bytes[i] << (8 * (i & 3));
        if ((i & 3) === 3 || i === bytes.length - 1) {
          hash = mix(hash, word);
          word = 0;
        }
      }
    } else {
      if (!Number.isSafeInteger(part)) {
        throw new RangeError(`key parts must be strings or safe integers, got ${part}`);
      }
      const high = Math.floor(part / 4294967296);
      hash = mix(mix(mix(hash, NUMBER_TAG), part - high * 4294967296), high);
    }
  }
  return finalize(hash);
}

/** An independent stream for `key` under `seed`: same (seed, key) → same draws, in any order. */
export function streamOf(seed: number, ...key: readonly (string | number)[]): Random {
  return createRandom(hashKey(seed, ...key));
}

/** A uniform element of a non-empty list. */
export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError("cannot pick from an empty list");
  return items[Math.floor(random.next() * items.length)];
}

/** Uniform in [low, high). */
export function uniform(random: Random, low: number, high: number): number {
  return low + (high - low) * random.next();
}
