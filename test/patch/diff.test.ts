// The patch reader: unified diffs into hunks with their line numbers, exact application, the git
// blob hash, and the functions a patch touches.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { sourceFile } from '../../src/lang/source.js';
import { applyFilePatch } from '../../src/patch/apply.js';
import { gitBlobHash, sha1Hex } from '../../src/patch/blob.js';
import { parsePatch } from '../../src/patch/diff.js';
import { touchedFunctions } from '../../src/patch/touched.js';
import { FIXTURES, findFunctionsByLayout } from '../support/fakeImporter.js';
import { ROOT } from '../support/memoryIo.js';

const read = (name: string) => readFileSync(join(ROOT, FIXTURES, name), 'utf8');
const parse = (text: string) => parsePatch(sourceFile('t.patch', text));

const SMALL = `diff --git a/f.c b/f.c
index 1111111..2222222 100644
--- a/f.c
+++ b/f.c
@@ -2,3 +2,4 @@ int f(void)
 {
-\treturn 0;
+\tint x = 1;
+\treturn x;
 }
`;

describe('parsePatch', () => {
  test('lines carry their old, new and patch line numbers', () => {
    const { patch, diagnostics } = parse(SMALL);
    expect(diagnostics).toEqual([]);
    const f = patch!.files[0]!;
    expect(f).toMatchObject({ oldPath: 'f.c', newPath: 'f.c', index: { old: '1111111', new: '2222222' } });
    const h = f.hunks[0]!;
    expect(h).toMatchObject({ index: 1, oldStart: 2, oldCount: 3, newStart: 2, newCount: 4, heading: 'int f(void)' });
    expect(h.lines.map((l) => [l.op, l.oldLine, l.newLine, l.patchLine])).toEqual([
      [' ', 2, 2, 6],
      ['-', 3, undefined, 7],
      ['+', undefined, 3, 8],
      ['+', undefined, 4, 9],
      [' ', 4, 5, 10],
    ]);
  });

  test('mail headers, message, diffstat and signature around the diff are skipped', () => {
    const { patch } = parsePatch(sourceFile('range.patch', read('range.patch')));
    expect(patch!.files).toHaveLength(1);
    expect(patch!.files[0]!.hunks.map((h) => [h.oldStart, h.oldCount, h.newStart, h.newCount])).toEqual([
      [26, 12, 26, 18],
      [44, 6, 50, 7],
      [56, 15, 63, 17],
    ]);
  });

  test('a hunk of one line may omit its count; an empty side starts after the line it names', () => {
    const { patch } = parse('--- a/f\n+++ b/f\n@@ -3,0 +4 @@\n+new\n');
    expect(patch!.files[0]!.hunks[0]!.lines[0]).toMatchObject({ op: '+', newLine: 4, oldLine: undefined });
  });

  test.each([
    ['no diff at all', 'Subject: hello\n\nno patch here\n', /holds no unified diff/],
    ['an empty file', '', /holds no unified diff/],
    ['a hunk before any file', '@@ -1 +1 @@\n-a\n+b\n', /before any '--- FILE'/],
    ['a hunk cut short', '--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n', /ends early/],
    ['a stray line', '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n?b\n+c\n', /neither context/],
    ['a file without hunks', '--- a/f\n+++ b/f\nnothing\n', /has no hunk/],
    ['a hunk that changes nothing', '--- a/f\n+++ b/f\n@@ -1 +1 @@\n a\n', /changes nothing/],
  ])('%s is ML7001', (_, text, message) => {
    const { patch, diagnostics } = parse(text);
    expect(patch).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(['ML7001']);
    expect(diagnostics[0]!.message).toMatch(message);
  });

  fcTest.prop(
    [
      fc.array(
        fc.oneof(
          fc.constantFrom(
            '--- a/f',
            '+++ b/f',
            '@@ -1,2 +1,2 @@',
            '@@ -1 +1 @@',
            ' a',
            '-a',
            '+b',
            '\\ No newline at end of file',
            'index 1234567..89abcde',
            '',
          ),
          fc.string(),
        ),
        { maxLength: 14 },
      ),
    ],
    {
      numRuns: 300,
    },
  )('never throws: a patch reads or gives exactly one ML7001', (lines) => {
    const { patch, diagnostics } = parse(lines.join('\n'));
    if (patch === undefined) expect(diagnostics.map((d) => d.code)).toEqual(['ML7001']);
    else {
      expect(diagnostics).toEqual([]);
      for (const f of patch.files) {
        for (const h of f.hunks) {
          expect(h.lines.filter((l) => l.op !== '+')).toHaveLength(h.oldCount);
          expect(h.lines.filter((l) => l.op !== '-')).toHaveLength(h.newCount);
        }
      }
    }
  });

  test('more lines than the header counts are a trailer, not part of the hunk', () => {
    const { patch } = parse('--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n-- \n2.39.0\n');
    expect(patch!.files[0]!.hunks[0]!.lines).toHaveLength(2);
  });

  test('"\\ No newline at end of file" marks the side it follows', () => {
    const { patch } = parse('--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n');
    const h = patch!.files[0]!.hunks[0]!;
    expect([h.oldNoNewline, h.newNoNewline]).toEqual([true, false]);
    expect(applyFilePatch('a', 'f', patch!.files[0]!, patch!.file)).toEqual({ text: 'a\n' });
  });
});

describe('applyFilePatch', () => {
  test('applies hunk by hunk', () => {
    const { patch } = parse(SMALL);
    const r = applyFilePatch('int f(void)\n{\n\treturn 0;\n}\n', 'f.c', patch!.files[0]!, patch!.file);
    expect(r).toEqual({ text: 'int f(void)\n{\n\tint x = 1;\n\treturn x;\n}\n' });
  });

  test('a context line that differs is ML7002, naming the hunk, the patch line and both texts', () => {
    const { patch } = parse(SMALL);
    const r = applyFilePatch('int f(void)\n{\n\treturn 1;\n}\n', 'f.c', patch!.files[0]!, patch!.file);
    expect('diagnostic' in r && r.diagnostic.code).toBe('ML7002');
    expect('diagnostic' in r && r.diagnostic.message).toBe(
      "Hunk 1 does not apply to 'f.c': patch line 7 expects line 3 to read 'return 0;', and it reads 'return 1;'.",
    );
  });

  test('a hunk past the end of the base is ML7002', () => {
    const { patch } = parse(SMALL);
    const r = applyFilePatch('int f(void)\n', 'f.c', patch!.files[0]!, patch!.file);
    expect('diagnostic' in r && r.diagnostic.message).toMatch(/needs old lines 2–4 and the file has 1/);
  });

  test('the fixture patch gives the post-image git gives (its index line names both blobs)', () => {
    const { patch } = parsePatch(sourceFile('range.patch', read('range.patch')));
    const f = patch!.files[0]!;
    const base = read('mkclean.c');
    expect(gitBlobHash(base).startsWith(f.index!.old)).toBe(true);
    const r = applyFilePatch(base, 'mkclean.c', f, patch!.file);
    expect('text' in r && gitBlobHash(r.text).startsWith(f.index!.new)).toBe(true);
  });

  // git's diff and this application are inverse: any edit of a text, written as a unified diff
  // by `git diff --no-index`, applies back to the edited text.
  fcTest.prop(
    [fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 12 }), fc.array(fc.nat(40), { maxLength: 6 })],
    { numRuns: 30 },
  )('a git diff of a random edit applies to give the edited text', (lines, edits) => {
    const old = lines.map((l) => `${l}\n`).join('');
    const next: string[] = [...lines];
    for (const e of edits) {
      const at = e % (next.length + 1);
      if (e % 3 === 0 && next.length > 0) next.splice(Math.min(at, next.length - 1), 1);
      else next.splice(at, 0, `x${e}`);
    }
    const neu = next.map((l) => `${l}\n`).join('');
    const text = gitDiff(old, neu);
    if (text === '') return;
    const { patch, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(applyFilePatch(old, 'f', patch!.files[0]!, patch!.file)).toEqual({ text: neu });
  });
});

/** `git diff --no-index` of two texts ('' when they are equal). */
function gitDiff(a: string, b: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmu-litmus-diff-'));
  try {
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    execFileSync('git', ['diff', '--no-index', '--no-color', 'a', 'b'], { cwd: dir, encoding: 'utf8' });
    return '';
  } catch (e) {
    return (e as { stdout: string }).stdout;
  } finally {
    rmSync(dir, { recursive: true });
  }
}

describe('gitBlobHash', () => {
  test('is git hash-object', () => {
    expect(gitBlobHash('')).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    expect(gitBlobHash('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  test('SHA-1 test vectors (FIPS 180-4), across block boundaries and in UTF-8', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(sha1Hex(enc('abc'))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha1Hex(enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
    expect(sha1Hex(enc('a'.repeat(1000)))).toBe('291e9a6c66994949b57ba5e650361e98fc36b1ba');
    expect(gitBlobHash('Jérôme\n')).toBe(gitBlobHash('J\u00e9r\u00f4me\n'));
  });
});

describe('touchedFunctions', () => {
  test('removed lines are found in the pre-image, added lines in the post-image', () => {
    const { patch } = parsePatch(sourceFile('helper.patch', read('helper.patch')));
    const base = read('mkclean.c');
    const t = touchedFunctions(patch!.files[0]!, findFunctionsByLayout(base), findFunctionsByLayout(base));
    expect(t.functions.map((f) => [f.name, f.hunks])).toEqual([['note_skipped', [1]]]);
    expect(t.outside).toEqual([]);
  });

  test('a change at file scope is outside every function', () => {
    const { patch } = parsePatch(sourceFile('unrelated.patch', read('unrelated.patch')));
    const base = read('mkclean.c');
    const t = touchedFunctions(patch!.files[0]!, findFunctionsByLayout(base), findFunctionsByLayout(base));
    expect(t.functions).toEqual([]);
    expect(t.outside).toEqual([
      { hunk: 1, patchLine: 9 },
      { hunk: 1, patchLine: 10 },
    ]);
  });

  test('the fixture patch touches page_mkclean_one in all three hunks', () => {
    const { patch } = parsePatch(sourceFile('range.patch', read('range.patch')));
    const base = read('mkclean.c');
    const after = applyFilePatch(base, 'mkclean.c', patch!.files[0]!, patch!.file);
    const t = touchedFunctions(
      patch!.files[0]!,
      findFunctionsByLayout(base),
      findFunctionsByLayout('text' in after ? after.text : ''),
    );
    expect(t.functions.map((f) => [f.name, f.hunks, f.pre?.startLine, f.post?.startLine])).toEqual([
      ['page_mkclean_one', [1, 2, 3], 20, 20],
    ]);
  });
});
