// npm run bench [-- --quick | --full] [--runs N] [--only SUBSTRING[,SUBSTRING…]] [--out FILE]
//
// mmu-litmus and SPIN side by side on the unmap model (bench/spin/unmap.pml and its litmus
// equivalents written by bench/unmap.mjs), DESIGN §8 and reference/conventions.md §6.6.
//   SPIN:       spin -a -DNPAGES=n -DNDEV=m [-DBUG_AFTER|-DNO_SEQ] unmap.pml
//               gcc -O2 -DSAFETY -o pan pan.c
//               ./pan -m1000000 -w26          (exits 0 even on an error: its output is read)
//   mmu-litmus: node bin/mmu-litmus.js run --stats FILE   (+ --stop-at-first on the buggy
//               variants, as pan stops at its first error)
// Every row runs RUNS times (3 by default; --quick: 1 run, small models only; --full adds the big
// rows 2×3 correct, 4×2 and 3×3). Prints the table, writes bench/results.json, and exits 1 when
// the two tools disagree on a verdict (or either disagrees with the model's expectation).

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODELS, modelName, spinFlags, unmapLitmus } from '../bench/unmap.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pml = join(root, 'bench', 'spin', 'unmap.pml');
const modelsDir = join(root, 'bench', 'unmap');
const TIME = '/usr/bin/time';

// ---------------------------------------------------------------- arguments

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const full = argv.includes('--full');
const runsArg = argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : quick ? 1 : 3;
const onlyArg = argv.indexOf('--only');
const only = onlyArg >= 0 ? argv[onlyArg + 1] : undefined;
const outArg = argv.indexOf('--out');
const outFile = outArg >= 0 ? argv[outArg + 1] : join(root, 'bench', 'results.json');
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--runs' || a === '--only' || a === '--out') {
    if (argv[i + 1] === undefined) {
      console.error(`bench: ${a} needs a value`);
      process.exit(2);
    }
    i++;
  } else if (a !== '--quick' && a !== '--full') {
    console.error(
      `bench: unknown argument ${a}\nusage: npm run bench [-- --quick | --full] [--runs N] [--only NAME,…] [--out FILE]`,
    );
    process.exit(2);
  }
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench: --runs takes a positive integer');
  process.exit(2);
}

const isBig = (m) => (m.pages === 2 && m.devices === 3 && m.variant === 'correct') || m.pages * m.devices >= 8;
const isSmall = (m) => m.pages * m.devices <= 4;
const rows = MODELS.filter((m) => {
  if (only !== undefined && !only.split(',').some((o) => modelName(m.pages, m.devices, m.variant).includes(o)))
    return false;
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

/** Runs a command, returns its output, wall time in s and peak RSS in KB (via /usr/bin/time). */
function measure(cmd, args, cwd) {
  const full = hasTime ? [TIME, ['-f', '@@TIME %e %M', cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error !== undefined) throw r.error;
  let stderr = r.stderr;
  let rssKb;
  const m = /@@TIME (\S+) (\d+)\s*$/.exec(stderr);
  if (m !== null) {
    rssKb = Number(m[2]);
    stderr = stderr.slice(0, m.index);
  }
  return { status: r.status, stdout: r.stdout, stderr, wall, rssKb };
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
  const p = measure('./pan', ['-m1000000', '-w26'], dir);
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
    compile,
    search: p.wall,
    total: compile + p.wall,
    rssKb: p.rssKb,
    bytesPerState: stateMb !== undefined && states ? (stateMb * 2 ** 20) / states : undefined,
  };
}

function runLitmus(m, file) {
  const bug = m.variant !== 'correct';
  const heapMb = m.pages * m.devices >= 6 ? ['--max-old-space-size=8192'] : [];
  const args = [
    ...heapMb,
    join(root, 'bin', 'mmu-litmus.js'),
    'run',
    '--stats',
    ...(bug ? ['--stop-at-first'] : []),
    file,
  ];
  const r = measure(process.execPath, args, root);
  const out = r.stdout + r.stderr;
  const search = /Search (complete|INCOMPLETE)[^:]*: (\d+) states, (\d+) transitions/.exec(out);
  must(search !== null, `cannot read the search line of mmu-litmus for ${file}`, out);
  const viol = /^Violations (.*)$/m.exec(out);
  must(viol !== null, `cannot read the Violations line of mmu-litmus for ${file}`, out);
  const stats = /^Stats: ([\d.]+) s, \d+ states\/s, ([\d.]+) bytes per stored state, peak memory (\d+) MB/m.exec(out);
  const violated = viol[1].split(' ').includes('use-after-free');
  const complete = search[1] === 'complete';
  return {
    verdict: violated ? 'violated' : complete ? 'safe' : 'unknown',
    detail: viol[1],
    complete,
    states: Number(search[2]),
    transitions: Number(search[3]),
    search: stats === null ? undefined : Number(stats[1]),
    total: r.wall,
    rssKb: r.rssKb ?? (stats === null ? undefined : Number(stats[3]) * 1024),
    bytesPerState: stats === null ? undefined : Number(stats[2]),
  };
}

// ---------------------------------------------------------------- statistics and formatting

function summary(xs) {
  const v = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1] };
}

const fmtS = (s) => (s === undefined ? '-' : s < 10 ? s.toFixed(2) : s.toFixed(1));
const fmtRange = (s) =>
  s === undefined ? '-' : runs === 1 ? fmtS(s.median) : `${fmtS(s.median)} (${fmtS(s.min)}–${fmtS(s.max)})`;
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

const machine = {
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model ?? 'unknown',
  nproc: cpus().length,
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
    const lit = [];
    for (let i = 0; i < runs; i++) {
      spin.push(runSpin(m, dir));
      lit.push(runLitmus(m, file));
    }
    const expected = m.variant === 'correct' ? 'safe' : 'violated';
    const s0 = spin[0];
    const l0 = lit[0];
    const verdicts = [...spin, ...lit].map((x) => x.verdict);
    const agree = verdicts.every((v) => v === expected);
    if (!agree) disagreements++;
    const S = {
      compile: summary(spin.map((x) => x.compile)),
      search: summary(spin.map((x) => x.search)),
      total: summary(spin.map((x) => x.total)),
      rssKb: summary(spin.map((x) => x.rssKb)),
    };
    const L = {
      search: summary(lit.map((x) => x.search)),
      total: summary(lit.map((x) => x.total)),
      rssKb: summary(lit.map((x) => x.rssKb)),
    };
    const row = {
      model: name,
      pages: m.pages,
      devices: m.devices,
      variant: m.variant,
      expected,
      agree,
      runs,
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
      },
      mmuLitmus: {
        verdict: l0.verdict,
        detail: l0.detail,
        complete: l0.complete,
        states: l0.states,
        transitions: l0.transitions,
        searchSeconds: L.search,
        totalSeconds: L.total,
        peakRssKb: L.rssKb,
        statesPerSecond: L.search === undefined ? undefined : l0.states / Math.max(L.search.median, 0.01),
        bytesPerState: l0.bytesPerState,
      },
    };
    row.ratio = {
      endToEnd: L.total.median / S.total.median,
      searchVsPan: L.search === undefined ? undefined : L.search.median / Math.max(S.search.median, 0.01),
      states: l0.states / s0.states,
      peakRss: L.rssKb && S.rssKb ? L.rssKb.median / S.rssKb.median : undefined,
    };
    results.push(row);
    console.log(
      `${agree ? 'ok  ' : 'DISAGREE'} ${name}: SPIN ${s0.verdict} ${fmtInt(s0.states)} states e2e ${fmtS(S.total.median)} s; mmu-litmus ${l0.verdict} ${fmtInt(l0.states)} states e2e ${fmtS(L.total.median)} s`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

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
  `${mb(r.spin.peakRssKb)}/${mb(r.mmuLitmus.peakRssKb)}`,
  `${fmtRate(r.spin.statesPerSecond)}/${fmtRate(r.mmuLitmus.statesPerSecond)}`,
  `${r.spin.bytesPerState === undefined ? '-' : r.spin.bytesPerState.toFixed(0)}/${r.mmuLitmus.bytesPerState === undefined ? '-' : r.mmuLitmus.bytesPerState.toFixed(0)}`,
]);
console.log('');
console.log(table(header, body));
const suite = {
  spin: results.reduce((a, r) => a + r.spin.totalSeconds.median, 0),
  mmuLitmus: results.reduce((a, r) => a + r.mmuLitmus.totalSeconds.median, 0),
};
console.log('');
console.log(
  `suite end to end (sum of medians): SPIN ${fmtS(suite.spin)} s, mmu-litmus ${fmtS(suite.mmuLitmus)} s, ratio ${fmtRatio(suite.mmuLitmus / suite.spin)}`,
);
console.log(
  'times in s: median (min–max); buggy variants: both tools stop at the first error; uaf = use-after-free found (SPIN: assertion)',
);
writeFileSync(
  outFile,
  `${JSON.stringify({ format: 'mmu-litmus-bench/1', machine, runs, quick, full, suite, rows: results }, null, 2)}\n`,
);
console.log(`bench: wrote ${outFile}`);
if (disagreements > 0) {
  console.error(`bench: FAILED: ${disagreements} model(s) where the verdicts disagree (marked !!)`);
  process.exit(1);
}
console.log(`bench: verdicts agree on all ${results.length} models`);
