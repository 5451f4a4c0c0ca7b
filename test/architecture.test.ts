// The dependency rules of ARCHITECTURE.md, enforced: each area imports only the areas listed,
// and only the CLI touches node: modules.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT } from './support/memoryIo.js';

const ALLOWED: Record<string, string[]> = {
  lang: [],
  model: [],
  explore: [],
  semantics: ['lang', 'model', 'explore'],
  check: ['explore', 'semantics', 'model', 'lang'],
  import: ['lang', 'model'],
  patch: ['check', 'semantics', 'model', 'lang'],
  report: ['check', 'patch', 'semantics', 'lang', 'model'],
  cli: ['lang', 'model', 'explore', 'semantics', 'check', 'import', 'patch', 'report'],
};

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
  );
}

describe('architecture', () => {
  for (const area of Object.keys(ALLOWED)) {
    test(`${area} imports only ${ALLOWED[area]!.join(', ') || 'itself'}`, () => {
      const bad: string[] = [];
      for (const f of files(`src/${area}`)) {
        const text = readFileSync(join(ROOT, f), 'utf8');
        for (const m of text.matchAll(/from '([^']+)'/g)) {
          const spec = m[1]!;
          if (spec.startsWith('node:')) {
            if (area !== 'cli') bad.push(`${f} imports ${spec}`);
            continue;
          }
          const other = /^\.\.\/([a-z]+)\//.exec(spec)?.[1];
          if (other !== undefined && other !== area && !ALLOWED[area]!.includes(other))
            bad.push(`${f} imports ${spec}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }
});
