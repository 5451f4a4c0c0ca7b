// Generates docs/errors.md from the code registry (src/lang/codes.ts), the explanations in
// spec.mjs and the golden diagnostics (test/golden/diagnostics). `npm run docs:errors` rewrites the
// file; test/docs/errorsDoc.test.ts checks that it is up to date.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SPEC } from './spec.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
export function render() {
  const DIR = 'test/golden/diagnostics';
  const codesSrc = readFileSync(`${ROOT}/src/lang/codes.ts`, 'utf8');
  const CODES = [...codesSrc.matchAll(/\{ code: '(ML\d{4})', title: ('[^']*'|"[^"]*"), area: '(\w+)' \}/g)].map(
    (m) => ({ code: m[1], title: m[2].slice(1, -1) }),
  );
  const GROUPS = [
    ['ML100', 'Syntax: lexical'],
    ['ML101', 'Syntax: file structure'],
    ['ML102', 'Syntax: initial state'],
    ['ML103', 'Syntax: definitions and threads'],
    ['ML104', 'Syntax: statements'],
    ['ML105', 'Syntax: expressions'],
    ['ML106', 'Syntax: final condition and locations'],
    ['ML107', 'Syntax: expectations and config'],
    ['ML108', 'Syntax: expectations and config'],
    ['ML109', 'Syntax: limits'],
    ['ML110', 'Syntax: named constants'],
    ['ML2', 'Names and semantics'],
    ['ML3', 'Initial state'],
    ['ML4', 'Errors found while running the model'],
    ['ML6', 'Importing kernel C (`mmu-litmus import`)'],
    ['ML7', 'Patches (check-patch)'],
  ];
  const groupOf = (c) => GROUPS.find(([p]) => c.startsWith(p))[1];
  let out = readFileSync(new URL('./intro.md', import.meta.url), 'utf8');
  let current = '';
  for (const { code, title } of CODES) {
    const spec = SPEC[code];
    if (!spec) throw new Error(`no spec for ${code}`);
    const g = groupOf(code);
    if (g !== current) {
      const inGroup = CODES.filter((c) => groupOf(c.code) === g);
      out += `\n## ${g} (${inGroup[0].code}–${inGroup[inGroup.length - 1].code})\n`;
      current = g;
    }
    // Import codes (ML6xxx) have a C file as their golden input, patch codes (ML7xxx) a patch; the
    // others a litmus test.
    const input = `${DIR}/${code}.${code >= 'ML7' ? 'patch' : code >= 'ML6' ? 'c' : 'litmus'}`;
    const expectedPath = `${ROOT}/${DIR}/${code}.expected`;
    if (!existsSync(expectedPath)) throw new Error(`no golden ${code}`);
    let diag = readFileSync(expectedPath, 'utf8');
    if (code >= 'ML2') {
      const m = /--- stderr\n([\s\S]*?)--- exit/.exec(diag);
      diag = m[1];
    }
    const src = readFileSync(`${ROOT}/${input}`, 'utf8').split('\n');
    let ranges = spec[1];
    if (ranges === undefined) {
      const line = Number(/^[^:]+:(\d+):/.exec(diag)[1]);
      ranges = [line, line];
    }
    if (typeof ranges[0] === 'number') ranges = [ranges];
    const lines = ranges
      .map(([a, b]) => src.slice(a - 1, b).join('\n'))
      .join('\n// …\n')
      .split('\n');
    const isImport = code >= 'ML6' && code < 'ML7';
    const command = isImport ? `, imported with \`${src[0].replace(/^\/\/ args: /, 'mmu-litmus import FILE ')}\`` : '';
    const argsPath = `${ROOT}/${DIR}/${code}.args`;
    const run = existsSync(argsPath)
      ? `Running \`mmu-litmus run ${readFileSync(argsPath, 'utf8').trim()} ${input}\` on [\`${input}\`](../${input})`
      : `In [\`${input}\`](../${input})${command}`;
    out += `\n### ${code} — ${title}\n\n${spec[0]}\n\n${run}:\n\n\`\`\`${isImport ? 'c' : code >= 'ML7' ? 'diff' : ''}\n${lines.join('\n')}\n\`\`\`\n\n\`\`\`text\n${diag}\`\`\`\n`;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(`${ROOT}/docs/errors.md`, render());
