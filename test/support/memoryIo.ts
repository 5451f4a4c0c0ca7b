// An Io for in-process CLI tests: files come from disk (relative to the package root), output
// goes to strings, time and memory are fixed so that output is deterministic.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function memoryIo(): {
  io: Io;
  stdout: () => string;
  stderr: () => string;
  written: Map<string, string>;
} {
  let out = '';
  const written = new Map<string, string>();
  let err = '';
  const onDisk = (p: string) => (isAbsolute(p) ? p : join(ROOT, p));
  const io: Io = {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
    readFile: (p) => readFileSync(onDisk(p), 'utf8'),
    isDirectory: (p) => {
      try {
        return statSync(onDisk(p)).isDirectory();
      } catch {
        return false;
      }
    },
    listDir: (p) => readdirSync(onDisk(p)).sort(),
    exists: (p) => {
      try {
        statSync(onDisk(p));
        return true;
      } catch {
        return false;
      }
    },
    // Files the CLI writes stay in memory.
    writeFile: (p, text) => {
      written.set(p, text);
    },
    // One thread unless a test says --jobs: vitest already runs test files in parallel.
    jobs: 1,
    progress: false,
    now: () => 0,
    rss: () => 0,
    hash: (text) => createHash('md5').update(text).digest('hex'),
    preludeDir: join(ROOT, 'prelude'),
    // As the real CLI shows paths relative to the working directory (the package root here).
    displayPath: (p) => (isAbsolute(p) ? relative(ROOT, p) : p),
  };
  return { io, stdout: () => out, stderr: () => err, written };
}

/** Runs the CLI in-process; returns the exit code and both outputs. */
export async function cli(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string; written: Map<string, string> }> {
  const m = memoryIo();
  const code = await run(args, m.io);
  return { code, stdout: m.stdout(), stderr: m.stderr(), written: m.written };
}

/** The golden layout shared by CLI tests: the command, stdout, stderr and exit code. */
export function transcript(args: readonly string[], r: { code: number; stdout: string; stderr: string }): string {
  return `$ mmu-litmus ${args.join(' ')}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}--- exit ${r.code}\n`;
}
