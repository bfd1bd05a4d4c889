/** Stable sharding: n machines split repositories (or files) without coordinating. */

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `2/5` -> { index: 2, count: 5 }; throws a readable message otherwise. */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new Error(`--shard must be i/n with 1 <= i <= n (e.g. 2/5), not "${value}"`);
  return { index, count };
}

/** FNV-1a: a stable hash, the same on every machine and Node version. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** True when `key` belongs to the shard: every key lands in exactly one of the n shards. */
export function inShard(key: string, shard: Shard | undefined): boolean {
  return !shard || stableHash(key.replace(/\\/g, '/')) % shard.count === shard.index - 1;
}
