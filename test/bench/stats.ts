// Small pieces the benchmark parts share: nearest-rank percentiles, millisecond formatting and a
// deadline that ends a part which hangs, so `npm run bench` always stops by itself.

/** Nearest-rank percentile of `xs` (unsorted); NaN for no samples. */
export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

export const ms = (x: number): string => `${x.toFixed(1)} ms`;

/** Exits with code 2 after `limitMs` unless the part has finished (the timer does not hold it). */
export function giveUpAfter(limitMs: number, part: string): void {
  setTimeout(() => {
    console.error(`${part} bench: gave up after ${limitMs / 1000} s`);
    process.exit(2);
  }, limitMs).unref();
}
