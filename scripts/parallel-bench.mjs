// node scripts/parallel-bench.mjs FILE… [--jobs N] [--runs N] [--no-reduce]
//
// One search on one thread (the serial explorer) against the same search on N threads
// (explore/parallel.ts, checkParallel), alternating, RUNS times each (3 by default), on the built
// code (npm run build first). Prints, per run: states, the search's wall time, and the process's
// CPU time (user + system, every thread), and checks that both searches give the same states,
// transitions and first violations. The machine's load average is printed with each row: on a
// shared machine, wall times are only comparable under the same load.

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { check, checkParallel } = await import(join(root, 'dist/check/verdict.js'));
const { compileSpec } = await import(join(root, 'dist/check/parallelSystem.js'));
const { litmusSpec, preludeTexts, startSearchThread } = await import(join(root, 'dist/cli/searchThreads.js'));

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  if (i < 0) return def;
  const v = Number(argv[i + 1]);
  argv.splice(i, 2);
  return v;
};
const jobs = opt('--jobs', 2);
const runs = opt('--runs', 3);
const reduce = !argv.includes('--no-reduce');
const files = argv.filter((a) => !a.startsWith('--'));

for (const file of files) {
  const path = resolve(file);
  const data = { path, text: readFileSync(path, 'utf8'), prelude: preludeTexts(join(root, 'prelude')) };
  const program = compileSpec(data);
  let serial;
  for (let r = 0; r < runs; r++) {
    for (const j of [1, jobs]) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const v =
        j === 1
          ? check(program, {}, undefined, reduce)
          : await checkParallel(program, litmusSpec(data), j, startSearchThread, {}, undefined, reduce);
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const res = v.result;
      const figures = JSON.stringify([res.states, res.transitions, res.terminals, [...res.firstViolation]]);
      serial ??= figures;
      if (figures !== serial) {
        console.error(`${file}: jobs ${j} differs from jobs 1: ${figures} against ${serial}`);
        process.exitCode = 1;
      }
      console.log(
        `${file} jobs ${j}: ${res.states} states, ${res.transitions} transitions, wall ${(wall / 1000).toFixed(2)} s, cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, load ${loadavg()[0].toFixed(1)}`,
      );
    }
  }
}
