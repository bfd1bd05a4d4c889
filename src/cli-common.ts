/** Argument helpers shared by the scan, audit and merge commands. */

/** A command-line mistake: printed without a stack, exit status 2. */
export class UsageError extends Error {}

/** `500000`, `512k`, `4m` -> bytes. */
export function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?$/.exec(value.trim());
  if (!m) throw new UsageError(`--max-file-size: "${value}" is not a size (e.g. 500000, 512k, 4m)`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}

/** Repeatable, comma-separated option values as one list. */
export function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** A whole number >= 1, or a usage error naming the option. */
export function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number >= 1, not "${value}"`);
  return n;
}
