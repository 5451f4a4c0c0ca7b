// The import report: what the translation did, line by line of the C, so a reviewer can check
// every abstraction. Printed after the routines (text) or as `mmu-litmus-import/1` (JSON).

/**
 * - `model`: a documented abstraction (a mapping row with a MODEL note);
 * - `assumption`: something taken as given (a config option, a constant condition);
 * - `dropped`: a call left out; `under` when it has side effects the model then misses;
 * - `choose`: an unknown condition explored both ways (an over-approximation);
 * - `unmapped`: a construct with no mapping (also a diagnostic: the import fails).
 */
export type ReportKind = 'model' | 'assumption' | 'dropped' | 'choose' | 'unmapped';

export interface ReportItem {
  readonly kind: ReportKind;
  /** The C function the item is in. */
  readonly function: string;
  /** 1-based line in the C file. */
  readonly line: number;
  /** The kernel name or construct (`flush_cache_page`, `#ifdef CONFIG_X`, `goto`). */
  readonly construct: string;
  /** One sentence: what was done and why. */
  readonly text: string;
  /** `under`: the model misses behaviour; `over`: it adds behaviour; absent: exact. */
  readonly approximation?: 'under' | 'over';
}

export interface ImportedFunction {
  readonly name: string;
  readonly routine: string;
  readonly startLine: number;
  readonly endLine: number;
  /** C statements translated into litmus statements. */
  readonly statements: number;
  /** Imported because another imported function calls it. */
  readonly helper: boolean;
}

export interface ImportReport {
  readonly format: 'mmu-litmus-import/1';
  readonly file: string;
  readonly kernel: string;
  readonly variant: string;
  readonly config: Readonly<Record<string, boolean>>;
  readonly functions: readonly ImportedFunction[];
  readonly items: readonly ReportItem[];
}

const KIND_TITLE: Record<ReportKind, string> = {
  model: 'abstractions (MODEL)',
  assumption: 'assumptions',
  dropped: 'dropped calls',
  choose: 'unknown conditions explored both ways (over-approximations)',
  unmapped: 'unmapped constructs',
};

/** The report as `//` comment lines, to follow the routines in `import`'s text output. */
export function reportText(r: ImportReport): string {
  const out: string[] = [];
  out.push(`// Import report: ${r.file}, kernel ${r.kernel}, variant @${r.variant}`);
  const cfg = Object.entries(r.config)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v ? 'y' : 'n'}`);
  if (cfg.length > 0) out.push(`//   config: ${cfg.join(' ')}`);
  for (const f of r.functions) {
    out.push(
      `//   ${f.name} (${r.file}:${f.startLine}-${f.endLine}) -> ${f.routine}: ${f.statements} statements translated${f.helper ? ' (a helper it calls)' : ''}`,
    );
  }
  const count = (k: ReportKind) => r.items.filter((i) => i.kind === k).length;
  const under = r.items.filter((i) => i.approximation === 'under').length;
  const over = r.items.filter((i) => i.approximation === 'over').length;
  out.push(
    `//   statements translated: ${r.functions.reduce((n, f) => n + f.statements, 0)}; dropped calls: ${count('dropped')}; conditions explored both ways: ${count('choose')}; assumptions: ${count('assumption')}; abstractions: ${count('model')}; under-approximations: ${under}; over-approximations: ${over}; unmapped constructs: ${count('unmapped')}`,
  );
  for (const kind of ['unmapped', 'dropped', 'choose', 'assumption', 'model'] as const) {
    const items = r.items.filter((i) => i.kind === kind);
    if (items.length === 0) continue;
    out.push(`// ${KIND_TITLE[kind]}:`);
    // one line per construct and reason, with every C line it applies to
    const groups = new Map<string, { item: ReportItem; lines: number[] }>();
    for (const i of items) {
      const key = `${i.function}\0${i.construct}\0${i.text}\0${i.approximation ?? ''}`;
      const g = groups.get(key);
      if (g === undefined) groups.set(key, { item: i, lines: [i.line] });
      else if (!g.lines.includes(i.line)) g.lines.push(i.line);
    }
    for (const { item: i, lines } of groups.values()) {
      const approx = i.approximation === undefined ? '' : ` [${i.approximation}-approximation]`;
      const fn = i.function === '' ? '' : ` ${i.function}:`;
      out.push(`//   ${r.file}:${lines.join(',')}${fn} ${i.construct}: ${i.text}${approx}`);
    }
  }
  return `${out.join('\n')}\n`;
}
