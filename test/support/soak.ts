// How many random programs a soak runs, and from which seed (`npm run soak`, test/soak/). A
// failure's report from fast-check names the seed and the path, to run it again.

export function soakParameters(): { numRuns: number; seed: number } {
  const numRuns = Number(process.env['SOAK_RUNS'] ?? 1000);
  // Today's date by default (20261204): a new sample every day, the same one all day.
  const seed = Number(process.env['SOAK_SEED'] ?? new Date().toISOString().slice(0, 10).replaceAll('-', ''));
  if (!Number.isInteger(numRuns) || numRuns < 1 || !Number.isInteger(seed))
    throw new Error('SOAK_RUNS must be a positive integer and SOAK_SEED an integer');
  return { numRuns, seed };
}
