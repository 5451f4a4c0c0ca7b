// Acceptance of `mmu-litmus import` on the real mm/rmap.c (not part of `npm test`: the kernel file
// is input data kept outside the project, in ../shared/kernel). Imports page_mkclean_one and
// try_to_unmap_one from the v4.13-rc7 file (kernel v4.12 semantics) and from its seed-patch (v1)
// post-image (kernel v4.13), puts each into a copy of every matrix scenario that calls it (between
// the initial state and the threads), and compares the verdict with the hand-written @v4.12 /
// @seed variant on every secondary kind: observation, violated properties, review warnings.
// Usage: npm run build && node scripts/import-acceptance.mjs [--only ROUTINE]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KERNEL = join(ROOT, '../shared/kernel');
if (!existsSync(join(KERNEL, 'rmap-v4.13-rc7.c'))) {
  console.log(`import acceptance: skipped (${KERNEL} not found)`);
  process.exit(0);
}
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const bin = join(ROOT, 'bin/mmu-litmus.js');
const work = mkdtempSync(join(tmpdir(), 'import-acceptance-'));

// The seed post-image, with the README's `git apply` recipe.
const seedDir = join(work, 'seed');
mkdirSync(join(seedDir, 'mm'), { recursive: true });
cpSync(join(KERNEL, 'rmap-v4.13-rc7.c'), join(seedDir, 'mm/rmap.c'));
execFileSync('git', ['init', '-q'], { cwd: seedDir });
execFileSync('git', ['apply', join(KERNEL, 'glisse-v1-02-13.patch')], { cwd: seedDir });

const sources = [
  { name: 'v4.13-rc7', file: join(KERNEL, 'rmap-v4.13-rc7.c'), kernel: 'v4.12', hand: 'v4.12' },
  { name: 'seed-v1', file: join(seedDir, 'mm/rmap.c'), kernel: 'v4.13', hand: 'seed' },
];
const spec = JSON.parse(readFileSync(join(ROOT, 'litmus/matrix.json'), 'utf8'));
const kinds = spec.kinds.filter((k) => k.since === undefined).map((k) => k.kind);

function run(args) {
  const r = spawnSync('node', [bin, ...args], { encoding: 'utf8' });
  if (r.status === 2 || r.status === 4) return { error: r.stderr.trim().split('\n')[0] };
  const j = JSON.parse(r.stdout);
  return {
    observation: j.observation,
    violations: [...new Set(j.violations.map((v) => v.property))].sort().join(',') || '-',
    warnings: [...new Set(j.warnings.map((w) => w.warning))].sort().join(',') || '-',
    states: j.search.states,
  };
}

let disagree = 0;
let agree = 0;
for (const src of sources) {
  for (const routine of ['page_mkclean_one', 'try_to_unmap_one']) {
    if (only !== undefined && routine !== only) continue;
    const imp = spawnSync(
      'node',
      [bin, 'import', src.file, '--function', routine, '--kernel', src.kernel, '--variant', 'import'],
      { encoding: 'utf8' },
    );
    if (imp.status !== 0) {
      console.log(`${src.name} ${routine}: import failed\n${imp.stderr}`);
      disagree++;
      continue;
    }
    for (const sc of spec.scenarios.filter((s) => s.routine === routine)) {
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
}
console.log(`import acceptance: ${agree} cells agree, ${disagree} differ (work files in ${work})`);
process.exit(disagree === 0 ? 0 : 1);
