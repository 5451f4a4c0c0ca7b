// `mmu-litmus import FILE.c --function NAME…`: kernel C functions as litmus routines, followed
// by the import report (as `//` comments in text, as `mmu-litmus-import/1` in JSON).

import { importFunctions, KERNEL_VERSIONS_COVERED, loadCParser, reportText } from '../import/index.js';
import { renderDiagnostic, sortDiagnostics } from '../lang/diagnostic.js';
import { isVersion } from '../model/version.js';
import { diagnosticJson } from '../report/json.js';
import { type Options, UsageError } from './args.js';
import type { Io } from './io.js';

/** The kernel `import` uses without --kernel: the newest the mapping table covers. */
export const IMPORT_DEFAULT_KERNEL = KERNEL_VERSIONS_COVERED[KERNEL_VERSIONS_COVERED.length - 1]!;

export async function runImport(opts: Options, io: Io): Promise<number> {
  if (opts.operands.length !== 1)
    throw new UsageError('import takes one C file: mmu-litmus import FILE.c --function NAME.');
  if (opts.functions.length === 0) throw new UsageError('import needs at least one --function NAME.');
  const path = opts.operands[0]!;
  if (!io.exists(path) || io.isDirectory(path)) throw new UsageError(`Cannot read '${path}': no such file.`);
  const kernel = opts.kernel ?? IMPORT_DEFAULT_KERNEL;
  if (!isVersion(kernel)) throw new UsageError(`--kernel: unknown version ${kernel}.`);
  const parser = await loadCParser();
  const shown = io.displayPath(path);
  const r = importFunctions(parser, { path: shown, text: io.readFile(path) }, opts.functions, {
    variant: opts.importVariant ?? 'import',
    kernel,
    config: opts.config,
  });
  const diagnostics = sortDiagnostics(r.diagnostics);
  let out: string;
  if (opts.format === 'json') {
    const lines = r.litmus.split('\n').map((_, i) => r.cLineOf(i + 1) ?? null);
    out = `${JSON.stringify(
      {
        ...r.report,
        ok: r.ok,
        routines: r.routines,
        litmus: r.litmus,
        cLines: lines.slice(0, Math.max(0, lines.length - 1)),
        diagnostics: diagnostics.map(diagnosticJson),
      },
      null,
      2,
    )}\n`;
  } else {
    out = r.ok ? `${r.litmus}${reportText(r.report)}` : '';
  }
  if (opts.output !== undefined && r.ok) io.writeFile(opts.output, out);
  else io.stdout(out);
  if (opts.format !== 'json') for (const d of diagnostics) io.stderr(renderDiagnostic(d));
  return r.ok ? 0 : 2;
}
