// The command line: the only place that does I/O, prints, and decides exit codes
// (0 ok, 1 expectation failed or violation, 2 bad input or usage, 3 incomplete, 4 internal error).

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELP, type Options, parseArgs, UsageError } from './args.js';
import { runCheckPatch } from './checkPatch.js';
import { loadImporter } from './cImporter.js';
import { runExplain, runMatrixCommand, runRun, runShow, runTest } from './commands.js';
import { runImport } from './importCommand.js';
import type { Io } from './io.js';

export const VERSION = '0.1.0';

export const EXIT = { ok: 0, failed: 1, badInput: 2, incomplete: 3, internal: 4 } as const;

/** The folder of the shipped prelude (`prelude/` at the package root). */
export function preludeDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prelude');
}

export function nodeIo(): Io {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readFile: (p) => readFileSync(p, 'utf8'),
    isDirectory: (p) => {
      try {
        return statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
    listDir: (p) => readdirSync(p).sort(),
    exists: (p) => {
      try {
        statSync(p);
        return true;
      } catch {
        return false;
      }
    },
    writeFile: (p, text) => writeFileSync(p, text),
    jobs: availableParallelism(),
    progress: process.stderr.isTTY === true,
    now: () => performance.now(),
    rss: () => process.memoryUsage.rss(),
    hash: (text) => createHash('md5').update(text).digest('hex'),
    preludeDir: preludeDir(),
    displayPath: (p) => {
      const r = relative(process.cwd(), p);
      return r.startsWith('..') ? p : r;
    },
  };
}

/** Runs the CLI with the given I/O; returns the exit code. Never throws. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`mmu-litmus: ${e.message}\n`);
      return EXIT.badInput;
    }
    throw e;
  }
  try {
    switch (opts.command) {
      case 'help':
        io.stdout(HELP);
        return EXIT.ok;
      case 'version':
        io.stdout(`mmu-litmus ${VERSION}\n`);
        return EXIT.ok;
      case 'explain':
        return runExplain(opts, io);
      case 'show':
        return runShow(opts, io);
      case 'run':
        return await runRun(opts, io);
      case 'test':
        return await runTest(opts, io);
      case 'matrix':
        return await runMatrixCommand(opts, io);
      case 'check-patch':
        return await runCheckPatch(opts, io, loadImporter);
      case 'import':
        return await runImport(opts, io);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`mmu-litmus: ${e.message}\n`);
      return EXIT.badInput;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`mmu-litmus: internal error: ${message}\n`);
    if (process.env['MMU_LITMUS_DEBUG'] && e instanceof Error) io.stderr(`${e.stack}\n`);
    return EXIT.internal;
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  // A reader that goes away early (`| head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  return run(argv, nodeIo());
}
