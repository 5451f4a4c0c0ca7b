// npm run bench [-- --quick | --full] [--unmap | --catalogue] [--runs N] [--only SUBSTRING[,SUBSTRING…]]
//                [--reduce-max N] [--out FILE]
//
// mmu-litmus and SPIN side by side on the unmap model (bench/spin/unmap.pml and its litmus
// equivalents written by bench/unmap.mjs), DESIGN §8 and reference/conventions.md §6.6.
//   SPIN:       spin -a -DNPAGES=n -DNDEV=m [-DBUG_AFTER|-DNO_SEQ] unmap.pml
//               gcc -O2 -DSAFETY -o pan pan.c
//               ./pan -m1000000 -w26          (exits 0 even on an error: its output is read)
//               buggy variants also: gcc -O2 -DSAFETY -DBFS -o pan-bfs pan.c; ./pan-bfs -m1000000 -w26
//               (SPIN's breadth-first search: its shortest counterexample, the question mmu-litmus
//               answers; the default depth-first pan stops at whatever error it meets first, on a
//               trail thousands of steps long)
//   mmu-litmus: node bin/mmu-litmus.js run --stats --jobs J FILE   (+ --stop-at-first on the
//               buggy variants, as pan stops at its first error), J = 1 (the serial search) and
//               J = every core (one search on every core, explore/parallel.ts), alternating;
//               then as many serial searches as cores at once, each in its own process: the
//               speed-up the machine gives to independent work (the "ceiling" column), which
//               bounds what one search on every core can reach (two busy cores slow each other
//               down: the shared cache and memory, V8's helper threads, the host)
// CPU time (user + system, every thread) is read from /usr/bin/time with the wall time: on a
// machine shared with other work, wall times follow the load (printed with each row), CPU times
// much less.
// Every row runs RUNS times (3 by default; --quick: 1 run, small models only; --full adds the big
// rows 2×3 correct, 4×2 and 3×3). Prints the table, writes bench/results.json, and exits 1 when
// the two tools disagree on a verdict (or either disagrees with the model's expectation).
//
// Reduction (after the unmap table): the full state space of every unmap row whose correct
// sibling's SPIN state count (with POR) is under --reduce-max (2,000,000 by default), once each:
//   SPIN with its partial-order reduction and compiled with -DNOREDUCE (pan -c0: no stop at an
//   error), mmu-litmus by default and with --no-reduce (no --stop-at-first).
//
// Catalogue: the litmus/ tests that have a Promela equivalent (bench/spin/catalogue/manifest.json),
// end to end, RUNS times each (3 by default, --quick included):
//   SPIN:       spin -a bench/spin/catalogue/NAME.pml; gcc -O2 -DSAFETY -o pan pan.c;
//               ./pan -c0 -m100000 -w20  (-c0: every error, so that the violated property set is
//               known; each assert names its property, an invalid end state is a deadlock)
//   mmu-litmus: node bin/mmu-litmus.js run FILE   (the Violations line)
// Both sets must equal the manifest's; exits 1 otherwise.
// --unmap runs only the unmap table and the reduction, --catalogue only the catalogue; --only
// filters both by name. Default output: bench/results.json (--quick: bench/results-quick.json,
// --catalogue: bench/results-catalogue.json).

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODELS, modelName, spinFlags, unmapLitmus } from '../bench/unmap.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pml = join(root, 'bench', 'spin', 'unmap.pml');
const modelsDir = join(root, 'bench', 'unmap');
const catalogueManifest = join(root, 'bench', 'spin', 'catalogue', 'manifest.json');
const TIME = '/usr/bin/time';

// ---------------------------------------------------------------- arguments

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const full = argv.includes('--full');
const runsArg = argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : quick ? 1 : 3;
const onlyArg = argv.indexOf('--only');
const only = onlyArg >= 0 ? argv[onlyArg + 1] : undefined;
const onlyCatalogue = argv.includes('--catalogue');
const onlyUnmap = argv.includes('--unmap');
const reduceArg = argv.indexOf('--reduce-max');
const reduceMax = reduceArg >= 0 ? Number(argv[reduceArg + 1]) : 2e6;
const outArg = argv.indexOf('--out');
const outFile =
  outArg >= 0
    ? argv[outArg + 1]
    : join(root, 'bench', onlyCatalogue ? 'results-catalogue.json' : quick ? 'results-quick.json' : 'results.json');
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--runs' || a === '--only' || a === '--out' || a === '--reduce-max') {
    if (argv[i + 1] === undefined) {
      console.error(`bench: ${a} needs a value`);
      process.exit(2);
    }
    i++;
  } else if (!['--quick', '--full', '--unmap', '--catalogue'].includes(a)) {
    console.error(
      `bench: unknown argument ${a}\nusage: npm run bench [-- --quick | --full] [--unmap | --catalogue] [--runs N] [--only NAME,…] [--reduce-max N] [--out FILE]`,
    );
    process.exit(2);
  }
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench: --runs takes a positive integer');
  process.exit(2);
}
if (!(reduceMax >= 0)) {
  console.error('bench: --reduce-max takes a number of states');
  process.exit(2);
}
if (onlyCatalogue && onlyUnmap) {
  console.error('bench: --unmap and --catalogue exclude each other (give neither for both sections)');
  process.exit(2);
}
const matchesOnly = (name) => only === undefined || only.split(',').some((o) => name.includes(o));

const isBig = (m) => (m.pages === 2 && m.devices === 3 && m.variant === 'correct') || m.pages * m.devices >= 8;
const isSmall = (m) => m.pages * m.devices <= 4;
const rows = MODELS.filter((m) => {
  if (onlyCatalogue) return false;
  if (!matchesOnly(modelName(m.pages, m.devices, m.variant))) return false;
  if (quick) return isSmall(m);
  return full || !isBig(m);
});

// ---------------------------------------------------------------- tools

function have(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.error === undefined && r.status === 0 ? `${r.stdout}${r.stderr}` : undefined;
}

function ensureSpin() {
  if (have('spin', ['-V']) !== undefined) return;
  console.log('bench: spin is not installed; installing it with `apt-get install -y spin`');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const install = () =>
    spawnSync(sudo.length ? 'sudo' : 'apt-get', [...(sudo.length ? ['apt-get'] : []), 'install', '-y', 'spin'], {
      stdio: 'inherit',
    });
  let r = install();
  if (r.status !== 0) {
    spawnSync(sudo.length ? 'sudo' : 'apt-get', [...(sudo.length ? ['apt-get'] : []), 'update'], { stdio: 'inherit' });
    r = install();
  }
  if (have('spin', ['-V']) === undefined) {
    console.error('bench: could not install spin (Debian package `spin`); install it and run again');
    process.exit(1);
  }
}

function ensureBuilt() {
  if (existsSync(join(root, 'dist', 'cli', 'main.js'))) return;
  console.log('bench: building mmu-litmus (npm run build)');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
}

const hasTime = existsSync(TIME);

/**
 * Runs a command, returns its output, wall time in s, peak RSS in KB and CPU time (user + system,
 * every thread) in s (the last two via /usr/bin/time).
 */
function measure(cmd, args, cwd) {
  const full = timed(cmd, args);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error !== undefined) throw r.error;
  return measured(r.status, r.stdout, r.stderr, wall);
}

/** `measure`, without waiting: several commands run at once. */
function measureAsync(cmd, args, cwd) {
  const full = timed(cmd, args);
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(full[0], full[1], { cwd });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8');
    p.stderr.setEncoding('utf8');
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('error', reject);
    p.on('close', (status) => resolve(measured(status, stdout, stderr, Number(process.hrtime.bigint() - t0) / 1e9)));
  });
}

function timed(cmd, args) {
  return hasTime ? [TIME, ['-f', '@@TIME %e %M %U %S', cmd, ...args]] : [cmd, args];
}

function measured(status, stdout, stderr, wall) {
  let rssKb;
  let cpu;
  const m = /@@TIME (\S+) (\d+) (\S+) (\S+)\s*$/.exec(stderr);
  if (m !== null) {
    rssKb = Number(m[2]);
    cpu = Number(m[3]) + Number(m[4]);
    stderr = stderr.slice(0, m.index);
  }
  return { status, stdout, stderr, wall, rssKb, cpu };
}

function must(cond, what, out) {
  if (!cond) {
    console.error(`bench: ${what}\n${out}`);
    process.exit(1);
  }
}

// ---------------------------------------------------------------- one run of each tool

function runSpin(m, dir) {
  const t0 = process.hrtime.bigint();
  const a = measure('spin', ['-a', ...spinFlags(m.pages, m.devices, m.variant), 'unmap.pml'], dir);
  must(a.status === 0, `spin -a failed for ${modelName(m.pages, m.devices, m.variant)}`, a.stdout + a.stderr);
  const g = measure('gcc', ['-O2', '-DSAFETY', '-o', 'pan', 'pan.c'], dir);
  must(g.status === 0, 'gcc pan.c failed', g.stdout + g.stderr);
  const compile = Number(process.hrtime.bigint() - t0) / 1e9;
  const r = panResult(measure('./pan', ['-m1000000', '-w26'], dir));
  return { ...r, compile, total: compile + r.search };
}

/**
 * SPIN's breadth-first search (shortest counterexample) of the pan.c that `runSpin` left in dir:
 * built once per row (`buildPanBfs`), run once per run.
 */
function buildPanBfs(dir) {
  const g = measure('gcc', ['-O2', '-DSAFETY', '-DBFS', '-o', 'pan-bfs', 'pan.c'], dir);
  must(g.status === 0, 'gcc -DBFS pan.c failed', g.stdout + g.stderr);
}
function runPanBfs(dir) {
  return panResult(measure('./pan-bfs', ['-m1000000', '-w26'], dir));
}

/** What a pan run printed; `total` is the pan run alone (`runSpin` adds the compilation). */
function panResult(p) {
  const out = p.stdout + p.stderr;
  const num = (re) => {
    const x = re.exec(out);
    return x === null ? undefined : Number(x[1]);
  };
  const errors = num(/errors: (\d+)/);
  must(errors !== undefined, 'cannot read "errors: N" in the output of pan', out);
  // pan prints big counts as 1.3005428e+08
  const states = num(/([\d.]+(?:e[+-]?\d+)?) states, stored/);
  const transitions = num(/([\d.]+(?:e[+-]?\d+)?) transitions/);
  const stateMb = num(/([\d.]+)\s+actual memory usage for states/);
  const complete = !/Search not completed/.test(out);
  const verdict = errors > 0 ? 'violated' : complete ? 'safe' : 'unknown';
  return {
    verdict,
    detail: errors > 0 ? (/(assertion violated[^\n]*)/.exec(out)?.[1] ?? `errors: ${errors}`) : '',
    complete,
    states,
    transitions,
    // The length of the counterexample: "assertion violated … (at depth N)".
    depth: errors > 0 ? num(/assertion violated[^\n]*\(at depth (\d+)\)/) : undefined,
    search: p.wall,
    total: p.wall,
    rssKb: p.rssKb,
    bytesPerState: stateMb !== undefined && states ? (stateMb * 2 ** 20) / states : undefined,
  };
}

function litmusArgs(m, file, jobs) {
  const bug = m.variant !== 'correct';
  const heapMb = m.pages * m.devices >= 6 ? ['--max-old-space-size=8192'] : [];
  return [
    ...heapMb,
    join(root, 'bin', 'mmu-litmus.js'),
    'run',
    '--stats',
    '--jobs',
    String(jobs),
    ...(bug ? ['--stop-at-first'] : []),
    file,
  ];
}

function runLitmus(m, file, jobs) {
  return litmusResult(file, measure(process.execPath, litmusArgs(m, file, jobs), root));
}

/**
 * `copies` serial searches of the same file at once, each in its own process: what the machine
 * gives to independent work on every core, the bound of a speed-up (see `ceiling`).
 */
async function runLitmusAtOnce(m, file, copies) {
  const rs = await Promise.all(
    Array.from({ length: copies }, () => measureAsync(process.execPath, litmusArgs(m, file, 1), root)),
  );
  return rs.map((r) => litmusResult(file, r));
}

function litmusResult(file, r) {
  const out = r.stdout + r.stderr;
  const search = /Search (complete|INCOMPLETE)[^:]*: (\d+) states, (\d+) transitions/.exec(out);
  must(search !== null, `cannot read the search line of mmu-litmus for ${file}`, out);
  const viol = /^Violations(?: found so far:)? (.*)$/m.exec(out);
  must(viol !== null, `cannot read the Violations line of mmu-litmus for ${file}`, out);
  const stats = /^Stats: ([\d.]+) s, \d+ states\/s, ([\d.]+) bytes per stored state, peak memory (\d+) MB/m.exec(out);
  const violated = viol[1].split(' ').includes('use-after-free');
  const complete = search[1] === 'complete';
  // The counterexample's length: the steps of its replay schedule.
  const schedule = /--schedule ([\d.]+)/.exec(out);
  return {
    verdict: violated ? 'violated' : complete ? 'safe' : 'unknown',
    detail: viol[1],
    complete,
    depth: schedule === null ? undefined : schedule[1].split('.').length,
    states: Number(search[2]),
    transitions: Number(search[3]),
    search: stats === null ? undefined : Number(stats[1]),
    total: r.wall,
    cpu: r.cpu,
    rssKb: r.rssKb ?? (stats === null ? undefined : Number(stats[3]) * 1024),
    bytesPerState: stats === null ? undefined : Number(stats[2]),
  };
}

/** `node bin/mmu-litmus.js run FILE` end to end: the violated properties and the search line. */
function litmusRun(file) {
  const r = measure(process.execPath, [join(root, 'bin', 'mmu-litmus.js'), 'run', file], root);
  const out = r.stdout + r.stderr;
  const search = /Search (complete|INCOMPLETE)[^:]*: (\d+) states, (\d+) transitions/.exec(out);
  must(search !== null, `cannot read the search line of mmu-litmus for ${file}`, out);
  const viol = /^Violations(?: found so far:)? (.*)$/m.exec(out);
  must(viol !== null, `cannot read the Violations line of mmu-litmus for ${file}`, out);
  must(search[1] === 'complete', `the search of ${file} is incomplete`, out);
  return {
    violations: viol[1] === 'none' ? [] : viol[1].split(' ').sort(),
    states: Number(search[2]),
    transitions: Number(search[3]),
    total: r.wall,
  };
}

// ---------------------------------------------------------------- statistics and formatting

function summary(xs) {
  const v = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

const fmtS = (s) => (s === undefined ? '-' : s < 10 ? s.toFixed(2) : s.toFixed(1));
const fmtRange = (s) =>
  s === undefined ? '-' : s.n === 1 ? fmtS(s.median) : `${fmtS(s.median)} (${fmtS(s.min)}–${fmtS(s.max)})`;
const fmtInt = (n) => (n === undefined ? '-' : n.toLocaleString('en-US'));
const fmtRate = (n) =>
  n === undefined || !Number.isFinite(n) ? '-' : n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${Math.round(n / 1e3)}k`;
const fmtRatio = (x) => (x === undefined || !Number.isFinite(x) ? '-' : `${x.toFixed(x < 10 ? 2 : 1)}×`);

function table(header, body) {
  const w = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(header), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

// ---------------------------------------------------------------- main

ensureSpin();
ensureBuilt();
mkdirSync(modelsDir, { recursive: true });

// One search on every core (`--jobs` of run, explore/parallel.ts) against the serial search.
const allJobs = cpus().length;
const machine = {
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model ?? 'unknown',
  nproc: cpus().length,
  loadAtStart: loadavg(),
  node: process.version,
  spin: (have('spin', ['-V']) ?? '').trim(),
  gcc: (have('gcc', ['--version']) ?? '').split('\n')[0],
  commit: (have('git', ['-C', root, 'rev-parse', '--short', 'HEAD']) ?? '').trim(),
  dirtyTree:
    (have('git', ['--no-optional-locks', '-C', root, 'status', '--porcelain', '--untracked-files=no']) ?? '').trim() !==
    '',
};
console.log(
  `bench: ${rows.length} models × ${runs} run(s); ${machine.cpu}, ${machine.nproc} CPUs, node ${machine.node}`,
);
console.log(`bench: ${machine.spin}; ${machine.gcc}`);
if (!hasTime) console.log(`bench: ${TIME} is missing: no peak memory`);

const results = [];
let disagreements = 0;
const work = mkdtempSync(join(tmpdir(), 'mmu-litmus-bench-'));
try {
  for (const m of rows) {
    const name = modelName(m.pages, m.devices, m.variant);
    const file = join(modelsDir, `${name}.litmus`);
    writeFileSync(file, unmapLitmus(m.pages, m.devices, m.variant));
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    copyFileSync(pml, join(dir, 'unmap.pml'));
    const spin = [];
    // Buggy variants: SPIN's breadth-first search too (its shortest counterexample).
    const bfs = [];
    const lit = [];
    const litN = [];
    // Per run: allJobs × the serial search's time over the slowest of allJobs serial searches
    // run at once; the speed-up one search on allJobs threads could reach on this machine.
    const ceiling = [];
    const litAtOnce = [];
    const loads = [];
    for (let i = 0; i < runs; i++) {
      loads.push(loadavg()[0]);
      spin.push(runSpin(m, dir));
      if (m.variant !== 'correct') {
        if (i === 0) buildPanBfs(dir);
        bfs.push(runPanBfs(dir));
      }
      lit.push(runLitmus(m, file, 1));
      if (allJobs > 1) {
        litN.push(runLitmus(m, file, allJobs));
        const atOnce = await runLitmusAtOnce(m, file, allJobs);
        const slowest = Math.max(...atOnce.map((x) => x.search ?? Number.NaN));
        ceiling.push((allJobs * lit[i].search) / slowest);
        litAtOnce.push(...atOnce);
      }
    }
    const expected = m.variant === 'correct' ? 'safe' : 'violated';
    const s0 = spin[0];
    const l0 = lit[0];
    const verdicts = [...spin, ...bfs, ...lit, ...litN, ...litAtOnce].map((x) => x.verdict);
    // The search on every core is the serial search: the same states and transitions.
    const same = [...litN, ...litAtOnce].every((x) => x.states === l0.states && x.transitions === l0.transitions);
    const agree = verdicts.every((v) => v === expected) && same;
    if (!agree) disagreements++;
    const S = {
      compile: summary(spin.map((x) => x.compile)),
      search: summary(spin.map((x) => x.search)),
      total: summary(spin.map((x) => x.total)),
      rssKb: summary(spin.map((x) => x.rssKb)),
    };
    const B =
      bfs.length === 0
        ? undefined
        : { search: summary(bfs.map((x) => x.search)), rssKb: summary(bfs.map((x) => x.rssKb)) };
    const L = {
      search: summary(lit.map((x) => x.search)),
      total: summary(lit.map((x) => x.total)),
      cpu: summary(lit.map((x) => x.cpu)),
      rssKb: summary(lit.map((x) => x.rssKb)),
    };
    const N =
      litN.length === 0
        ? undefined
        : {
            search: summary(litN.map((x) => x.search)),
            total: summary(litN.map((x) => x.total)),
            cpu: summary(litN.map((x) => x.cpu)),
            rssKb: summary(litN.map((x) => x.rssKb)),
          };
    const row = {
      model: name,
      pages: m.pages,
      devices: m.devices,
      variant: m.variant,
      expected,
      agree,
      runs,
      loadAverage: summary(loads),
      spin: {
        verdict: s0.verdict,
        detail: s0.detail,
        complete: s0.complete,
        states: s0.states,
        transitions: s0.transitions,
        compileSeconds: S.compile,
        panSeconds: S.search,
        totalSeconds: S.total,
        peakRssKb: S.rssKb,
        statesPerSecond: s0.states / Math.max(S.search.median, 0.01),
        bytesPerState: s0.bytesPerState,
        counterexampleDepth: s0.depth,
      },
      spinBfs:
        B === undefined
          ? undefined
          : {
              verdict: bfs[0].verdict,
              detail: bfs[0].detail,
              states: bfs[0].states,
              transitions: bfs[0].transitions,
              counterexampleDepth: bfs[0].depth,
              panSeconds: B.search,
              peakRssKb: B.rssKb,
            },
      mmuLitmus: {
        verdict: l0.verdict,
        detail: l0.detail,
        complete: l0.complete,
        states: l0.states,
        transitions: l0.transitions,
        searchSeconds: L.search,
        totalSeconds: L.total,
        cpuSeconds: L.cpu,
        peakRssKb: L.rssKb,
        statesPerSecond: L.search === undefined ? undefined : l0.states / Math.max(L.search.median, 0.01),
        bytesPerState: l0.bytesPerState,
        counterexampleDepth: l0.depth,
      },
      mmuLitmusAllCores:
        N === undefined
          ? undefined
          : {
              jobs: allJobs,
              searchSeconds: N.search,
              totalSeconds: N.total,
              cpuSeconds: N.cpu,
              peakRssKb: N.rssKb,
            },
    };
    row.ratio = {
      endToEnd: L.total.median / S.total.median,
      searchVsPan: L.search === undefined ? undefined : L.search.median / Math.max(S.search.median, 0.01),
      searchVsPanBfs:
        L.search === undefined || B === undefined ? undefined : L.search.median / Math.max(B.search.median, 0.01),
      states: l0.states / s0.states,
      peakRss: L.rssKb && S.rssKb ? L.rssKb.median / S.rssKb.median : undefined,
      allCoresSearchVsPan: N?.search === undefined ? undefined : N.search.median / Math.max(S.search.median, 0.01),
      speedUp: N?.search === undefined || L.search === undefined ? undefined : L.search.median / N.search.median,
      cpuAllCoresVsOne: N?.cpu === undefined || L.cpu === undefined ? undefined : N.cpu.median / L.cpu.median,
      ceiling: summary(ceiling.filter((x) => Number.isFinite(x))),
    };
    results.push(row);
    console.log(
      `${agree ? 'ok  ' : 'DISAGREE'} ${name}: SPIN ${s0.verdict} ${fmtInt(s0.states)} states e2e ${fmtS(S.total.median)} s; mmu-litmus ${l0.verdict} ${fmtInt(l0.states)} states e2e ${fmtS(L.total.median)} s${N === undefined ? '' : `, --jobs ${allJobs} e2e ${fmtS(N.total.median)} s`}; load ${loads.map((x) => x.toFixed(1)).join(', ')}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

let suite;
if (results.length > 0) {
  const header = [
    'model',
    'verdict S/M',
    'states SPIN',
    'states ML',
    'trans SPIN',
    'trans ML',
    'spin+gcc s',
    'pan s',
    'SPIN e2e s',
    'ML search s',
    'ML e2e s',
    'e2e ML/S',
    'search ML/pan',
    'pan BFS s',
    'ML/pan BFS',
    'cex S/SBFS/M',
    `ML×${allJobs} search s`,
    `ML×${allJobs}/pan`,
    `speed-up ×${allJobs}`,
    `ceiling ×${allJobs}`,
    `CPU ×${allJobs}/×1`,
    'load',
    'peak MB S/M',
    'states/s S/M',
    'B/state S/M',
  ];
  const mb = (s) => (s === undefined ? '-' : (s.median / 1024).toFixed(0));
  const body = results.map((r) => [
    r.model,
    `${r.spin.verdict === 'violated' ? 'uaf' : r.spin.verdict}/${r.mmuLitmus.verdict === 'violated' ? 'uaf' : r.mmuLitmus.verdict}${r.agree ? '' : ' !!'}`,
    fmtInt(r.spin.states),
    fmtInt(r.mmuLitmus.states),
    fmtInt(r.spin.transitions),
    fmtInt(r.mmuLitmus.transitions),
    fmtRange(r.spin.compileSeconds),
    fmtRange(r.spin.panSeconds),
    fmtRange(r.spin.totalSeconds),
    fmtRange(r.mmuLitmus.searchSeconds),
    fmtRange(r.mmuLitmus.totalSeconds),
    fmtRatio(r.ratio.endToEnd),
    fmtRatio(r.ratio.searchVsPan),
    fmtRange(r.spinBfs?.panSeconds),
    fmtRatio(r.ratio.searchVsPanBfs),
    r.spinBfs === undefined
      ? '-'
      : [r.spin.counterexampleDepth, r.spinBfs.counterexampleDepth, r.mmuLitmus.counterexampleDepth]
          .map((d) => d ?? '?')
          .join('/'),
    fmtRange(r.mmuLitmusAllCores?.searchSeconds),
    fmtRatio(r.ratio.allCoresSearchVsPan),
    fmtRatio(r.ratio.speedUp),
    r.ratio.ceiling === undefined ? '-' : fmtRatio(r.ratio.ceiling.median),
    fmtRatio(r.ratio.cpuAllCoresVsOne),
    r.loadAverage === undefined ? '-' : r.loadAverage.median.toFixed(1),
    `${mb(r.spin.peakRssKb)}/${mb(r.mmuLitmus.peakRssKb)}`,
    `${fmtRate(r.spin.statesPerSecond)}/${fmtRate(r.mmuLitmus.statesPerSecond)}`,
    `${r.spin.bytesPerState === undefined ? '-' : r.spin.bytesPerState.toFixed(0)}/${r.mmuLitmus.bytesPerState === undefined ? '-' : r.mmuLitmus.bytesPerState.toFixed(0)}`,
  ]);
  console.log('');
  console.log(table(header, body));
  suite = {
    spin: results.reduce((a, r) => a + r.spin.totalSeconds.median, 0),
    mmuLitmus: results.reduce((a, r) => a + r.mmuLitmus.totalSeconds.median, 0),
  };
  console.log('');
  console.log(
    `suite end to end (sum of medians): SPIN ${fmtS(suite.spin)} s, mmu-litmus ${fmtS(suite.mmuLitmus)} s, ratio ${fmtRatio(suite.mmuLitmus / suite.spin)}`,
  );
  console.log(
    `times in s: median (min–max); ML = mmu-litmus --jobs 1, ML×${allJobs} = one search on ${allJobs} threads (--jobs ${allJobs}); speed-up = ML search / ML×${allJobs} search (wall), ceiling = ${allJobs} × ML search / the slowest of ${allJobs} ML searches run at once (separate processes: what the machine gives to independent work, the bound of the speed-up), CPU = user + system of every thread; load = 1-minute load average when the row started (${allJobs} cores)`,
  );
  console.log('buggy variants: both tools stop at the first error; uaf = use-after-free found (SPIN: assertion)');
  console.log(
    "pan BFS = SPIN's breadth-first search (-DBFS, shortest counterexample), buggy variants only; cex = counterexample length in steps: pan (depth-first), pan BFS, mmu-litmus (each tool's own step)",
  );
}
// ---------------------------------------------------------------- reduction (unmap rows, full state spaces)

/** spin -a, gcc, pan in dir; times each stage apart. */
function spinPipeline(dir, spinArgs, gccFlags, panArgs, what) {
  const a = measure('spin', ['-a', ...spinArgs], dir);
  must(a.status === 0, `spin -a failed for ${what}`, a.stdout + a.stderr);
  const g = measure('gcc', ['-O2', '-DSAFETY', ...gccFlags, '-o', 'pan', 'pan.c'], dir);
  must(g.status === 0, `gcc pan.c failed for ${what}`, g.stdout + g.stderr);
  const p = measure('./pan', panArgs, dir);
  const out = p.stdout + p.stderr;
  const num = (re) => {
    const x = re.exec(out);
    return x === null ? undefined : Number(x[1]);
  };
  const errors = num(/errors: (\d+)/);
  must(errors !== undefined, `cannot read "errors: N" in the output of pan for ${what}`, out);
  return {
    out,
    errors,
    states: num(/([\d.]+(?:e[+-]?\d+)?) states, stored/),
    transitions: num(/([\d.]+(?:e[+-]?\d+)?) transitions/),
    complete: !/Search not completed/.test(out),
    spinA: a.wall,
    gcc: g.wall,
    pan: p.wall,
    total: a.wall + g.wall + p.wall,
    rssKb: p.rssKb,
  };
}

/** The properties pan reported: each assert names its property (assert(NAME || cond)); an invalid end state is a deadlock. */
function spinProperties(out) {
  const props = new Set();
  for (const m of out.matchAll(/^pan:\d+: assertion violated \((\w+)\|\|/gm)) props.add(m[1].replaceAll('_', '-'));
  for (const m of out.matchAll(/^pan:\d+: (.*)$/gm)) {
    if (/^invalid end state/.test(m[1])) props.add('deadlock');
    else if (!/^assertion violated \(\w+\|\|/.test(m[1]) && !/^wrote /.test(m[1])) props.add(`unknown(${m[1]})`);
  }
  return [...props].sort();
}

function litmusStates(args, what, nodeFlags = []) {
  const r = measure(
    process.execPath,
    [...nodeFlags, join(root, 'bin', 'mmu-litmus.js'), 'run', '--stats', ...args],
    root,
  );
  const out = r.stdout + r.stderr;
  const search = /Search (complete|INCOMPLETE)[^:]*: (\d+) states, (\d+) transitions/.exec(out);
  must(search !== null, `cannot read the search line of mmu-litmus for ${what}`, out);
  const viol = /^Violations(?: found so far:)? (.*)$/m.exec(out);
  return {
    complete: search[1] === 'complete',
    states: Number(search[2]),
    transitions: Number(search[3]),
    violations: viol === null ? [] : viol[1] === 'none' ? [] : viol[1].split(' ').sort(),
    total: r.wall,
  };
}

const reduction = [];
// A buggy row stops at its first error in the table above, so its count says nothing about its
// full state space: every row is sized by its correct sibling's SPIN count (rows whose sibling was
// not measured are left out). 3×3-BUG_AFTER without reduction does not fit in 23 GB for pan.
const fullSize = (r) =>
  results.find((c) => c.pages === r.pages && c.devices === r.devices && c.variant === 'correct')?.spin.states;
const reduceRows = results.filter((r) => {
  const size = fullSize(r);
  return size !== undefined && size < reduceMax;
});
if (reduceRows.length > 0) {
  console.log('');
  console.log(
    `bench: reduction: ${reduceRows.length} unmap row(s) under ${fmtInt(reduceMax)} SPIN states, full state spaces (pan -c0, no --stop-at-first), once each`,
  );
  const rwork = mkdtempSync(join(tmpdir(), 'mmu-litmus-bench-red-'));
  try {
    for (const r of reduceRows) {
      const m = { pages: r.pages, devices: r.devices, variant: r.variant };
      const dir = join(rwork, r.model);
      mkdirSync(dir, { recursive: true });
      copyFileSync(pml, join(dir, 'unmap.pml'));
      const spinArgs = [...spinFlags(m.pages, m.devices, m.variant), 'unmap.pml'];
      const pan = ['-c0', '-m1000000', '-w26'];
      const por = spinPipeline(dir, spinArgs, [], pan, r.model);
      const nor = spinPipeline(dir, spinArgs, ['-DNOREDUCE'], pan, `${r.model} -DNOREDUCE`);
      const file = join(modelsDir, `${r.model}.litmus`);
      const heap = m.pages * m.devices >= 6 ? ['--max-old-space-size=8192'] : [];
      const withRed = litmusStates([file], r.model, heap);
      const noRed = litmusStates(['--no-reduce', file], `${r.model} --no-reduce`, heap);
      const violated = (x) => (x ? 'violated' : 'safe');
      const verdicts = [
        violated(por.errors > 0),
        violated(nor.errors > 0),
        violated(withRed.violations.includes('use-after-free')),
        violated(noRed.violations.includes('use-after-free')),
      ];
      const agree = verdicts.every((v) => v === r.expected) && por.complete && nor.complete;
      if (!agree) disagreements++;
      const row = {
        model: r.model,
        expected: r.expected,
        agree,
        spin: {
          por: por.states,
          noReduce: nor.states,
          porTransitions: por.transitions,
          noReduceTransitions: nor.transitions,
        },
        mmuLitmus: {
          reduce: withRed.states,
          noReduce: noRed.states,
          reduceTransitions: withRed.transitions,
          noReduceTransitions: noRed.transitions,
        },
      };
      row.spin.factor = nor.states / por.states;
      row.mmuLitmus.factor = noRed.states / withRed.states;
      reduction.push(row);
      console.log(
        `${agree ? 'ok  ' : 'DISAGREE'} ${r.model}: SPIN ${fmtInt(por.states)} / ${fmtInt(nor.states)} (NOREDUCE); mmu-litmus ${fmtInt(withRed.states)} / ${fmtInt(noRed.states)} (--no-reduce)`,
      );
    }
  } finally {
    rmSync(rwork, { recursive: true, force: true });
  }
  console.log('');
  console.log(
    table(
      [
        'model',
        'verdict',
        'SPIN POR',
        'SPIN NOREDUCE',
        'NOREDUCE/POR',
        'ML reduce',
        'ML --no-reduce',
        'no-reduce/reduce',
        'ML/SPIN (reduced)',
        'ML/SPIN (unreduced)',
      ],
      reduction.map((x) => [
        x.model,
        `${x.expected === 'safe' ? 'safe' : 'uaf'}${x.agree ? '' : ' !!'}`,
        fmtInt(x.spin.por),
        fmtInt(x.spin.noReduce),
        fmtRatio(x.spin.factor),
        fmtInt(x.mmuLitmus.reduce),
        fmtInt(x.mmuLitmus.noReduce),
        fmtRatio(x.mmuLitmus.factor),
        fmtRatio(x.mmuLitmus.reduce / x.spin.por),
        fmtRatio(x.mmuLitmus.noReduce / x.spin.noReduce),
      ]),
    ),
  );
  console.log('states stored, full state space (every error reported, no stop at the first)');
}

// ---------------------------------------------------------------- catalogue

let catalogue;
if (!onlyUnmap) {
  const manifest = JSON.parse(readFileSync(catalogueManifest, 'utf8'));
  const entries = manifest.models.filter((e) => matchesOnly(e.pml) || matchesOnly(e.litmus));
  const cruns = runsArg >= 0 ? runs : 3;
  console.log('');
  console.log(`bench: catalogue: ${entries.length} litmus tests with a Promela equivalent × ${cruns} run(s)`);
  const crows = [];
  const cwork = mkdtempSync(join(tmpdir(), 'mmu-litmus-bench-cat-'));
  try {
    for (const e of entries) {
      const name = e.pml.replace(/^.*\//, '').replace(/\.pml$/, '');
      const dir = join(cwork, name);
      mkdirSync(dir, { recursive: true });
      const spin = [];
      const lit = [];
      for (let i = 0; i < cruns; i++) {
        spin.push(spinPipeline(dir, [join(root, e.pml)], [], ['-c0', '-m100000', '-w20'], name));
        lit.push(litmusRun(join(root, e.litmus)));
      }
      const expected = [...e.violates].sort();
      const same = (a) => a.length === expected.length && a.every((x, k) => x === expected[k]);
      const spinProps = spin.map((x) => spinProperties(x.out));
      const agree =
        spinProps.every(same) && lit.every((x) => same(x.violations)) && spin.every((x) => x.complete && x.errors >= 0);
      if (!agree) disagreements++;
      const S = {
        spinA: summary(spin.map((x) => x.spinA)),
        gcc: summary(spin.map((x) => x.gcc)),
        compile: summary(spin.map((x) => x.spinA + x.gcc)),
        pan: summary(spin.map((x) => x.pan)),
        total: summary(spin.map((x) => x.total)),
      };
      const L = { total: summary(lit.map((x) => x.total)) };
      const row = {
        model: name,
        litmus: e.litmus,
        pml: e.pml,
        expected,
        agree,
        runs: cruns,
        spin: {
          properties: spinProps[0],
          states: spin[0].states,
          transitions: spin[0].transitions,
          spinASeconds: S.spinA,
          gccSeconds: S.gcc,
          compileSeconds: S.compile,
          panSeconds: S.pan,
          totalSeconds: S.total,
        },
        mmuLitmus: {
          properties: lit[0].violations,
          states: lit[0].states,
          transitions: lit[0].transitions,
          totalSeconds: L.total,
        },
      };
      row.ratio = { endToEnd: L.total.median / S.total.median };
      crows.push(row);
      console.log(
        `${agree ? 'ok  ' : 'DISAGREE'} ${name}: expected ${expected.join(',') || 'safe'}; SPIN ${spinProps[0].join(',') || 'safe'} e2e ${fmtS(S.total.median)} s; mmu-litmus ${lit[0].violations.join(',') || 'safe'} e2e ${fmtS(L.total.median)} s`,
      );
      if (!agree) {
        console.error(
          `bench: DISAGREEMENT on ${name}: manifest ${JSON.stringify(expected)}, SPIN ${JSON.stringify(spinProps)}, mmu-litmus ${JSON.stringify(lit.map((x) => x.violations))}`,
        );
      }
    }
  } finally {
    rmSync(cwork, { recursive: true, force: true });
  }
  const sum = (f) => crows.reduce((a, r) => a + f(r), 0);
  const total = {
    spinA: sum((r) => r.spin.spinASeconds.median),
    gcc: sum((r) => r.spin.gccSeconds.median),
    pan: sum((r) => r.spin.panSeconds.median),
    spin: sum((r) => r.spin.totalSeconds.median),
    mmuLitmus: sum((r) => r.mmuLitmus.totalSeconds.median),
  };
  total.ratio = total.mmuLitmus / total.spin;
  catalogue = { runs: cruns, rows: crows, total };
  const short = (p) => (p.length === 0 ? 'safe' : p.join(','));
  const body = crows.map((r) => [
    r.model,
    `${short(r.spin.properties)}${r.agree ? '' : ' !!'}`,
    short(r.mmuLitmus.properties),
    fmtInt(r.spin.states),
    fmtInt(r.mmuLitmus.states),
    fmtRange(r.spin.spinASeconds),
    fmtRange(r.spin.gccSeconds),
    fmtRange(r.spin.panSeconds),
    fmtRange(r.spin.totalSeconds),
    fmtRange(r.mmuLitmus.totalSeconds),
    fmtRatio(r.ratio.endToEnd),
  ]);
  body.push([
    'total (sum of medians)',
    '',
    '',
    '',
    '',
    fmtS(total.spinA),
    fmtS(total.gcc),
    fmtS(total.pan),
    fmtS(total.spin),
    fmtS(total.mmuLitmus),
    fmtRatio(total.ratio),
  ]);
  console.log('');
  console.log(
    table(
      [
        'test',
        'SPIN violates',
        'ML violates',
        'states SPIN',
        'states ML',
        'spin -a s',
        'gcc s',
        'pan s',
        'SPIN e2e s',
        'ML e2e s',
        'e2e ML/SPIN',
      ],
      body,
    ),
  );
  console.log(
    `catalogue end to end (sum of medians): SPIN ${fmtS(total.spin)} s (spin -a ${fmtS(total.spinA)}, gcc ${fmtS(total.gcc)}, pan ${fmtS(total.pan)}), mmu-litmus ${fmtS(total.mmuLitmus)} s, ratio ${fmtRatio(total.ratio)}`,
  );
}
writeFileSync(
  outFile,
  `${JSON.stringify({ format: 'mmu-litmus-bench/1', machine, runs, quick, full, suite, rows: results, reduction, catalogue }, null, 2)}\n`,
);
// Biome (npm run lint) writes short arrays on one line: format the file its way when it is there.
const biome = join(root, 'node_modules', '.bin', 'biome');
if (existsSync(biome)) spawnSync(biome, ['format', '--write', outFile], { cwd: root, encoding: 'utf8' });
console.log(`bench: wrote ${outFile}`);
if (disagreements > 0) {
  console.error(`bench: FAILED: ${disagreements} model(s) where the verdicts disagree (marked !!)`);
  process.exit(1);
}
console.log(`bench: verdicts agree on all ${results.length + (catalogue?.rows.length ?? 0)} models`);
