// Acceptance of `mmu-litmus import` on the real mm/rmap.c (not part of `npm test`: kernel files are
// input data kept outside the project). Two sources, each checked when it is there:
// - v4.13: ../shared/kernel/rmap-v4.13-rc7.c (kernel v4.12 semantics) and its seed-patch (v1)
//   post-image (kernel v4.13): page_mkclean_one and try_to_unmap_one against the hand-written
//   @v4.12 / @seed variants;
// - v6.6: a v6.6 mm/rmap.c named by --v6.6 FILE or the environment variable MMU_LITMUS_RMAP_V66
//   (e.g. an android15-6.6 common kernel's or a linux-6.6.y tree's): page_mkclean_one,
//   try_to_unmap_one and try_to_migrate_one against the hand-written @v6.6 variants.
// The imported routines go into a copy of every matrix scenario that calls them (between the
// initial state and the threads), and each verdict is compared with the hand-written variant's on
// every secondary kind: observation, violated properties, review warnings.
// Usage: npm run build && node scripts/import-acceptance.mjs [--only ROUTINE] [--v6.6 FILE]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KERNEL = join(ROOT, '../shared/kernel');
const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const only = option('--only');
const v66 = option('--v6.6') ?? process.env.MMU_LITMUS_RMAP_V66;
const bin = join(ROOT, 'bin/mmu-litmus.js');
const work = mkdtempSync(join(tmpdir(), 'import-acceptance-'));

const sources = [];
if (existsSync(join(KERNEL, 'rmap-v4.13-rc7.c'))) {
  // The seed post-image, with the README's `git apply` recipe.
  const seedDir = join(work, 'seed');
  mkdirSync(join(seedDir, 'mm'), { recursive: true });
  cpSync(join(KERNEL, 'rmap-v4.13-rc7.c'), join(seedDir, 'mm/rmap.c'));
  execFileSync('git', ['init', '-q'], { cwd: seedDir });
  execFileSync('git', ['apply', join(KERNEL, 'glisse-v1-02-13.patch')], { cwd: seedDir });
  const routines = ['page_mkclean_one', 'try_to_unmap_one'];
  sources.push(
    { name: 'v4.13-rc7', file: join(KERNEL, 'rmap-v4.13-rc7.c'), kernel: 'v4.12', hand: 'v4.12', routines },
    { name: 'seed-v1', file: join(seedDir, 'mm/rmap.c'), kernel: 'v4.13', hand: 'seed', routines },
  );
} else console.log(`import acceptance: v4.13 skipped (${KERNEL} not found)`);
if (v66 !== undefined && existsSync(v66)) {
  sources.push({
    name: 'v6.6',
    file: resolve(v66),
    kernel: 'v6.6',
    hand: 'v6.6',
    routines: ['page_mkclean_one', 'try_to_unmap_one', 'try_to_migrate_one'],
  });
} else
  console.log(
    `import acceptance: v6.6 skipped (${v66 === undefined ? 'give a v6.6 mm/rmap.c with --v6.6 FILE or MMU_LITMUS_RMAP_V66' : `${v66} not found`})`,
  );
if (sources.length === 0) process.exit(0);

const spec = JSON.parse(readFileSync(join(ROOT, 'litmus/matrix.json'), 'utf8'));
const atLeast = (v, since) => {
  const n = (s) => s.replace(/^v/, '').split('.').map(Number);
  const [a, b] = [n(v), n(since)];
  return a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);
};

function run(args) {
  const r = spawnSync('node', [bin, ...args], { encoding: 'utf8' });
  if (r.status === 4) return { error: r.stderr.trim().split('\n')[0] };
  // One document per command (docs/json.md): one test here, so one entry of `tests`.
  const j = JSON.parse(r.stdout).tests[0];
  if (j.status === 'error') return { error: j.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ') };
  return {
    observation: j.observation,
    violations: [...new Set(j.violations.map((v) => v.property))].sort().join(',') || '-',
    warnings: [...new Set(j.warnings.map((w) => w.warning))].sort().join(',') || '-',
    states: j.search.states,
  };
}

/** The routine a scenario runs at a kernel version (matrix.json `calls`: try_to_migrate_one from v5.14). */
function routineAt(sc, kernel) {
  const call = (sc.calls ?? []).find((c) => atLeast(kernel, c.since));
  return call?.routine ?? sc.routine;
}

let disagree = 0;
let agree = 0;
for (const src of sources) {
  const kinds = spec.kinds.filter((k) => k.since === undefined || atLeast(src.kernel, k.since)).map((k) => k.kind);
  const start = performance.now();
  const imp = spawnSync(
    'node',
    [
      bin,
      'import',
      src.file,
      ...src.routines.flatMap((r) => ['--function', r]),
      '--kernel',
      src.kernel,
      '--variant',
      'import',
    ],
    { encoding: 'utf8' },
  );
  console.log(
    `${src.name}: imported ${src.routines.join(', ')} in ${((performance.now() - start) / 1000).toFixed(2)} s`,
  );
  if (imp.status !== 0) {
    console.log(`${src.name}: import failed\n${imp.stderr}`);
    disagree++;
    continue;
  }
  for (const sc of spec.scenarios) {
    const routine = routineAt(sc, src.kernel);
    if (!src.routines.includes(routine) || (only !== undefined && routine !== only)) continue;
    const text = readFileSync(join(ROOT, 'litmus', sc.file), 'utf8');
    const at = text.search(/^(kernel|cpu|device) /m);
    const copy = join(work, `${src.name}-${sc.file.replace(/\W/g, '_')}`);
    writeFileSync(copy, `${text.slice(0, at)}${imp.stdout}\n${text.slice(at)}`);
    for (const kind of kinds) {
      const common = ['--kernel', src.kernel, '--secondary', `${sc.secondary}=${kind}`, '--format', 'json'];
      const a = run(['run', copy, ...common, '--variant', `${routine}=import`]);
      const b = run(['run', join(ROOT, 'litmus', sc.file), ...common, '--variant', `${routine}=${src.hand}`]);
      const same =
        a.error === undefined &&
        b.error === undefined &&
        a.observation === b.observation &&
        a.violations === b.violations &&
        a.warnings === b.warnings;
      if (same) agree++;
      else disagree++;
      const show = (r) =>
        r.error ?? `${r.observation} violations=${r.violations} warnings=${r.warnings} (${r.states} states)`;
      console.log(
        `${same ? 'same' : 'DIFF'} ${src.name} ${routine} ${sc.file} ${kind}: imported ${show(a)}${same ? '' : ` | @${src.hand} ${show(b)}`}`,
      );
    }
  }
}
console.log(`import acceptance: ${agree} cells agree, ${disagree} differ (work files in ${work})`);
process.exit(disagree === 0 ? 0 : 1);
