// The mapping table as Markdown, for docs/import.md (`npm run docs:import` writes it between the
// `<!-- mapping -->` markers; test/import/mappingDoc.test.ts checks it is current).

import {
  CALLS,
  CONFIG_DEFAULTS,
  CONSTANTS,
  KERNEL_VERSIONS_COVERED,
  VM_FLAGS,
  VMA_FIELDS,
  versionRange,
} from './mapping.js';

const esc = (s: string) => s.replace(/\|/g, '\\|');

export function mappingMarkdown(): string {
  const out: string[] = [];
  out.push(`Kernel versions covered (\`--kernel\`): ${KERNEL_VERSIONS_COVERED.join(', ')}.`, '');
  out.push('### Calls', '');
  out.push('| kernel call | args | versions | kind | model | note |');
  out.push('| --- | --- | --- | --- | --- | --- |');
  for (const r of CALLS) {
    const model =
      r.emit === undefined ? '—' : `\`${esc(r.emit)}\`${r.hoist === undefined ? '' : ` (hoisted into \`${r.hoist}\`)`}`;
    const approx = r.approximation === undefined ? '' : ` (${r.approximation}-approximation)`;
    out.push(`| \`${r.c}\` | ${r.arity} | ${versionRange(r)} | ${r.kind} | ${model} | ${esc(r.note ?? '')}${approx} |`);
  }
  out.push('', "### Flags (the model's values, as in prelude/try_to_unmap.litmus)", '');
  out.push('| kernel name | model value | emitted | versions | note |');
  out.push('| --- | --- | --- | --- | --- |');
  for (const c of CONSTANTS)
    out.push(
      `| \`${c.c}\` | ${c.value} | ${c.prelude === true ? 'by name (the prelude declares it)' : `\`${c.value} /* ${c.c} */\``} | ${versionRange(c)} | ${esc(c.note ?? '')} |`,
    );
  out.push('', '### VMA fields and flags', '');
  out.push('| kernel | model | note |');
  out.push('| --- | --- | --- |');
  for (const [k, v] of Object.entries(VMA_FIELDS)) out.push(`| \`vma->${k}\` | \`vma.${v}\` | |`);
  for (const [k, v] of Object.entries(VM_FLAGS))
    out.push(`| \`vma->vm_flags & ${k}\` | \`${v.emit}\` | ${esc(v.note ?? '')} |`);
  out.push('', '### Config defaults (`--config CONFIG_X=y|n` overrides; any other option is ML6007)', '');
  out.push('| option | default |');
  out.push('| --- | --- |');
  for (const [k, v] of Object.entries(CONFIG_DEFAULTS)) out.push(`| \`${k}\` | ${v ? 'y' : 'n'} |`);
  return `${out.join('\n')}\n`;
}

/** `doc` with the text between the mapping markers replaced. */
export function withMappingTable(doc: string): string {
  const start = '<!-- mapping -->\n';
  const end = '<!-- /mapping -->';
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error('docs/import.md has no <!-- mapping --> … <!-- /mapping --> section');
  return `${doc.slice(0, i + start.length)}\n${mappingMarkdown()}\n${doc.slice(j)}`;
}
