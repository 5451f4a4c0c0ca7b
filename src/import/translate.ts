// C → litmus: a kernel function's tree-sitter tree becomes a litmus routine, statement by
// statement, through the mapping table (mapping.ts). The kernel idioms the model expresses
// differently are recognised here, each documented in docs/import.md:
// - the walk: `struct page_vma_mapped_walk pvmw = { .page = …, … }; while
//   (page_vma_mapped_walk(&pvmw)) { … }` → `foreach m in page_vma_mapped_walk(page, vma, address)`;
//   `pvmw.pte`/`pvmw.pmd`/`pvmw.address` → `m.pte`/`m.pmd`/`m.address`;
// - pointers to entries (`pte_t *pte = pvmw.pte;`) resolve to the address they point at:
//   `*pte` → `ptep_get(m.address)`;
// - the rmap_one callback's `void *arg`: `enum ttu_flags flags = (enum ttu_flags)arg;` makes
//   `flags` a parameter; `int *cleaned = arg;` makes `cleaned` the routine's result;
// - `struct mm_struct *mm = vma->vm_mm;` and every mm argument disappear;
// - `struct mmu_notifier_range range` flattens to `range_start`/`range_end`;
// - `subpage = page - page_to_pfn(page) + pte_pfn(…)` is `page` (one page mapped once);
// - `#ifdef`/`#if IS_ENABLED()` pick a branch by the config; a condition the model fixes folds.

import type { Node, Tree } from 'web-tree-sitter';
import { type Diagnostic, error } from '../lang/diagnostic.js';
import { type SourceFile, sourceFile } from '../lang/source.js';
import type { KernelVersion } from '../model/version.js';
import { Emitter } from './emitter.js';
import { functionNodes } from './functions.js';
import type { ImportOptions, ImportResult } from './index.js';
import {
  type CallRow,
  CONFIG_DEFAULTS,
  KERNEL_VERSIONS_COVERED,
  LANGUAGE_CONSTANTS,
  lookupCall,
  lookupConstant,
  VM_FLAGS,
  VMA_FIELDS,
  versionRange,
} from './mapping.js';
import type { ImportedFunction, ImportReport, ReportItem } from './report.js';

/** A translated expression; `k` is its value when the model fixes it (for folding). */
interface Expr {
  readonly text: string;
  readonly k?: boolean;
}

type Local =
  | { kind: 'value'; type: string }
  | { kind: 'mm' }
  | { kind: 'walk' }
  | { kind: 'entry'; level: 'pte' | 'pmd' }
  | { kind: 'counter' }
  | { kind: 'swp' }
  | { kind: 'range' };

interface Walk {
  name: string;
  /** folio (or page), vma, address[, PVMW_MIGRATION] */
  args: string[];
  line: number;
  /** The loop over it has been translated (a read of `pvmw.address` no longer means the start). */
  looped: boolean;
}

/** Thrown to abandon a function after a diagnostic has been recorded. */
class Unmapped extends Error {}

const ITERATOR = /(^|_)for_each(_|$)|_foreach$|^for_each/;

class FileTranslator {
  readonly diagnostics: Diagnostic[] = [];
  readonly items: ReportItem[] = [];
  readonly out: Emitter;
  readonly file: SourceFile;
  readonly functions: Map<string, Node>;
  readonly imported: ImportedFunction[] = [];
  readonly queue: { name: string; helper: boolean }[] = [];
  readonly config: Map<string, boolean>;

  constructor(
    tree: Tree,
    readonly path: string,
    text: string,
    readonly opts: ImportOptions,
  ) {
    this.file = sourceFile(path, text);
    this.out = new Emitter(path);
    this.functions = new Map(functionNodes(tree).map((f) => [f.fn.name, f.node]));
    this.config = new Map(opts.config ?? []);
  }

  get kernel(): KernelVersion {
    return this.opts.kernel;
  }

  diag(code: string, node: Node, message: string): never {
    this.diagnostics.push(error(code, this.file, { start: node.startIndex, end: node.endIndex }, message));
    throw new Unmapped(message);
  }

  routineName(c: string): string {
    return `${c}@${this.opts.variant}`;
  }

  request(name: string, helper: boolean): void {
    if (!this.queue.some((q) => q.name === name)) this.queue.push({ name, helper });
  }
}

/** Translates one function (and queues the helpers it calls). */
class FunctionTranslator {
  readonly locals = new Map<string, Local>();
  walk: Walk | undefined;
  inWalk = false;
  counter: string | undefined;
  statements = 0;
  readonly pre: string[] = [];
  readonly notesShown = new Set<string>();
  readonly labels = new Map<string, number>();
  /**
   * The `for`/`do` loops being translated whose `continue` must run the update or the condition
   * first: C's `continue` becomes `goto` to the label before them.
   */
  readonly continueLabels = new Map<Node['id'], string>();
  /** A statement had no mapping (its diagnostic is recorded); the routine is not emitted. */
  failed = false;

  constructor(
    readonly t: FileTranslator,
    readonly name: string,
    readonly node: Node,
  ) {}

  get out(): Emitter {
    return this.t.out;
  }

  /** The walk cursor keeps the C walk's name (`pvmw`): `pvmw.pte`, `pvmw.address` read as in C. */
  get cursor(): string {
    return this.walk?.name ?? 'pvmw';
  }

  line(n: Node): number {
    return n.startPosition.row + 1;
  }

  item(kind: ReportItem['kind'], n: Node, construct: string, text: string, approximation?: 'under' | 'over'): void {
    this.t.items.push({
      kind,
      function: this.name,
      line: this.line(n),
      construct,
      text,
      ...(approximation === undefined ? {} : { approximation }),
    });
  }

  /** A `// MODEL:` line (once per routine per note) and a report item. */
  model(n: Node, construct: string, note: string, approximation?: 'under' | 'over'): void {
    this.item('model', n, construct, note, approximation);
    if (!this.notesShown.has(note)) {
      this.notesShown.add(note);
      this.out.line(`// MODEL: ${construct}: ${note}`);
    }
  }

  // ---- the routine -------------------------------------------------------------------------

  translate(helper: boolean): void {
    const fn = this.node;
    const declarator = fn.childForFieldName('declarator');
    const paramsNode = findChild(declarator, 'function_declarator')?.childForFieldName('parameters') ?? null;
    const body = fn.childForFieldName('body');
    if (paramsNode === null || body === null)
      this.t.diag('ML6005', fn, `${this.name} is not a function definition with a body.`);
    this.labels.clear();
    for (const l of descendants(body, 'labeled_statement')) {
      const name = l.childForFieldName('label')?.text;
      if (name !== undefined) this.labels.set(name, l.startIndex);
    }
    const argUse = this.rmapArg(body);
    const params: string[] = [];
    for (const p of paramsNode.namedChildren) {
      if (p === null || p.type !== 'parameter_declaration') continue;
      const type = p.childForFieldName('type')?.text ?? '';
      const name = declaredIdentifier(p.childForFieldName('declarator'));
      if (name === undefined) continue; // `void`
      if (type === 'struct page_vma_mapped_walk' && p.childForFieldName('declarator')?.type === 'pointer_declarator') {
        // a walk passed by pointer (v6.6 page_vma_mkclean_one()): its folio, vma and address
        const args = ['folio', 'vma', 'address'].map((f) => `${name}_${f}`);
        params.push(...args);
        this.locals.set(name, { kind: 'walk' });
        this.walk = { name, args, line: this.line(p), looped: false };
        this.item(
          'model',
          p,
          `struct page_vma_mapped_walk *${name}`,
          `the walk passed by pointer: the routine takes its folio, vma and address as ${args.join(', ')}`,
        );
        continue;
      }
      if (type === 'struct mm_struct') {
        this.locals.set(name, { kind: 'mm' });
        this.item('model', p, name, 'the model has one mm: the mm parameter disappears');
        continue;
      }
      if (name === 'arg' && type === 'void') {
        if (argUse === 'flags') {
          params.push('flags');
          this.locals.set('flags', { kind: 'value', type: 'enum ttu_flags' });
          this.item(
            'model',
            p,
            'void *arg',
            'the rmap_one argument is the ttu_flags: the routine takes them as `flags`',
          );
        } else if (argUse !== undefined) {
          this.item(
            'model',
            p,
            'void *arg',
            `the rmap_one argument counts into *${argUse}: the routine returns the count`,
          );
        }
        continue;
      }
      params.push(name);
      this.locals.set(name, { kind: 'value', type: pointerType(p) });
    }
    const start = this.out.length;
    this.out.line(
      `// ${this.name}(): ${this.t.path}:${this.line(fn)}-${fn.endPosition.row + 1}, imported for kernel ${this.t.kernel}${helper ? ' (a helper)' : ''}`,
    );
    this.out.line(`routine ${this.t.routineName(this.name)}(${params.join(', ')}) {`, this.line(fn));
    this.out.indent();
    try {
      this.block(body);
      if (this.failed) throw new Unmapped(`${this.name} has constructs with no mapping`);
    } catch (e) {
      this.out.truncate(start);
      throw e;
    } finally {
      this.out.dedent();
    }
    this.out.line('}', fn.endPosition.row + 1);
    this.out.line('');
    this.t.imported.push({
      name: this.name,
      routine: this.t.routineName(this.name),
      startLine: this.line(fn),
      endLine: fn.endPosition.row + 1,
      statements: this.statements,
      helper,
    });
  }

  /** How the body uses `void *arg`: `flags` (a ttu_flags cast) or the name of a counter. */
  rmapArg(body: Node): string | undefined {
    for (const d of body.namedChildren) {
      if (d === null || d.type !== 'declaration') continue;
      for (const init of d.namedChildren) {
        if (init === null || init.type !== 'init_declarator') continue;
        const value = init.childForFieldName('value');
        if (value === null) continue;
        const inner = uncast(value);
        if (inner.type !== 'identifier' || inner.text !== 'arg') continue;
        if (value.type === 'cast_expression') return 'flags';
        return declaredIdentifier(init.childForFieldName('declarator'));
      }
    }
    return undefined;
  }

  // ---- statements --------------------------------------------------------------------------

  block(n: Node): void {
    const children = n.namedChildren.filter((c): c is Node => c !== null);
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      if (c.type === 'comment') continue;
      try {
        this.statement(c, children[i + 1]);
      } catch (e) {
        // keep going to report every unmapped construct of the function; the routine is dropped
        if (!(e instanceof Unmapped)) throw e;
        this.failed = true;
        this.pre.length = 0;
        // the names a failed declaration declares still exist: no cascade of "no mapping" errors
        if (c.type === 'declaration')
          for (const d of c.namedChildren) {
            const name = d === null ? undefined : declaredIdentifier(d);
            if (name !== undefined && !this.locals.has(name)) this.locals.set(name, { kind: 'value', type: '' });
          }
      }
    }
  }

  /** A statement as the body of an if/while: always braced in litmus. */
  body(n: Node): void {
    if (n.type === 'compound_statement') this.block(n);
    else this.statement(n, undefined);
  }

  flushPre(n: Node): void {
    for (const s of this.pre.splice(0)) this.out.stmt(s, this.line(n));
  }

  statement(n: Node, next: Node | undefined): void {
    if (n.type === 'ERROR' || n.isMissing) this.t.diag('ML6001', n, 'The C does not parse here.');
    // compound statements are checked through their parts (an iterator macro nested in an if body
    // is reported as ML6006, not as a parse error of the whole if)
    const leaf =
      ![
        'compound_statement',
        'if_statement',
        'while_statement',
        'for_statement',
        'do_statement',
        'switch_statement',
        'labeled_statement',
        'expression_statement',
      ].includes(n.type) && !n.type.startsWith('preproc_');
    if (n.hasError && leaf) this.t.diag('ML6001', firstError(n) ?? n, 'The C does not parse here.');
    const cond = n.type === 'if_statement' || n.type === 'while_statement' ? n.childForFieldName('condition') : null;
    if (cond?.hasError === true) this.t.diag('ML6001', firstError(cond) ?? cond, 'The C does not parse here.');
    switch (n.type) {
      case 'compound_statement':
        this.block(n);
        return;
      case 'declaration':
        this.declaration(n);
        return;
      case 'expression_statement':
        this.expressionStatement(n, next);
        return;
      case 'if_statement':
        this.statements++;
        this.ifStatement(n, false);
        return;
      case 'while_statement':
        this.statements++;
        this.whileStatement(n);
        return;
      case 'for_statement':
        this.statements++;
        this.forStatement(n);
        return;
      case 'do_statement':
        this.statements++;
        this.doStatement(n);
        return;
      case 'switch_statement':
        this.statements++;
        this.switchStatement(n);
        return;
      case 'return_statement': {
        this.statements++;
        const value = n.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
        if (this.counter !== undefined) {
          this.out.stmt(`return ${this.counter};`, this.line(n));
          return;
        }
        if (value === null) {
          this.out.stmt('return;', this.line(n));
          return;
        }
        const e = this.expr(value);
        this.flushPre(n);
        this.out.stmt(`return ${e.text};`, this.line(n));
        return;
      }
      case 'break_statement':
        this.statements++;
        this.out.stmt('break;', this.line(n));
        return;
      case 'continue_statement': {
        this.statements++;
        const loop = enclosingLoop(n);
        const label = loop === undefined ? undefined : this.continueLabels.get(loop.id);
        this.out.stmt(label === undefined ? 'continue;' : `goto ${label};`, this.line(n));
        return;
      }
      case 'goto_statement': {
        this.statements++;
        const label = n.childForFieldName('label')?.text ?? '';
        const at = this.labels.get(label);
        if (at === undefined || at < n.startIndex)
          this.t.diag(
            'ML6008',
            n,
            `goto ${label}: the label is not after the goto in ${this.name} (the language has forward goto only).`,
          );
        this.out.stmt(`goto ${label};`, this.line(n));
        return;
      }
      case 'labeled_statement': {
        const label = n.childForFieldName('label')?.text ?? '';
        this.out.line(`${label}:`, this.line(n));
        for (const c of n.namedChildren)
          if (c !== null && c.type !== 'statement_identifier') this.statement(c, undefined);
        return;
      }
      case 'preproc_ifdef':
      case 'preproc_if':
      case 'preproc_elif':
        this.preprocIf(n);
        return;
      case 'preproc_call':
      case 'preproc_def':
      case 'preproc_function_def':
        this.t.diag(
          'ML6005',
          n,
          `The preprocessor directive '${n.text.split(/\s/)[0]}' inside ${this.name} has no mapping.`,
        );
        break;
      default:
        this.t.diag('ML6005', n, `The C construct '${n.type.replace(/_/g, ' ')}' has no mapping.`);
    }
  }

  preprocIf(n: Node): void {
    let taken: boolean;
    const directive = n.child(0)?.text ?? '';
    if (n.type === 'preproc_ifdef') {
      const name = n.childForFieldName('name');
      if (name === null) this.t.diag('ML6001', n, 'The C does not parse here.');
      const v = this.configValue(name.text, name);
      taken = directive === '#ifndef' ? !v : v;
      this.item(
        'assumption',
        n,
        `${directive} ${name.text}`,
        `${name.text}=${v ? 'y' : 'n'}: the other branch is left out`,
      );
    } else {
      const cond = n.childForFieldName('condition');
      if (cond === null) this.t.diag('ML6001', n, 'The C does not parse here.');
      taken = this.preprocCondition(cond);
      this.item('assumption', n, `#if ${cond.text}`, `${taken ? 'true' : 'false'}: the other branch is left out`);
    }
    const alternative = n.childForFieldName('alternative');
    if (taken) {
      for (const c of n.namedChildren) {
        if (c === null || c === alternative || c.type === 'comment') continue;
        if (c.startIndex === n.childForFieldName('name')?.startIndex) continue;
        if (c.startIndex === n.childForFieldName('condition')?.startIndex) continue;
        if (alternative !== null && c.startIndex === alternative.startIndex) continue;
        this.statement(c, undefined);
      }
    } else if (alternative !== null) {
      if (alternative.type === 'preproc_else') {
        for (const c of alternative.namedChildren) if (c !== null && c.type !== 'comment') this.statement(c, undefined);
      } else this.preprocIf(alternative);
    }
  }

  configValue(name: string, at: Node): boolean {
    const given = this.t.config.get(name);
    if (given !== undefined) return given;
    const def = CONFIG_DEFAULTS[name];
    if (def === undefined)
      this.t.diag('ML6007', at, `${name} has no default in the mapping table: give it with --config ${name}=y or =n.`);
    this.t.config.set(name, def);
    return def;
  }

  preprocCondition(n: Node): boolean {
    switch (n.type) {
      case 'parenthesized_expression':
        return this.preprocCondition(n.namedChildren[0]!);
      case 'preproc_defined':
        return this.configValue(n.namedChildren[0]?.text ?? '', n);
      case 'identifier':
        return this.configValue(n.text, n);
      case 'number_literal':
        return Number.parseInt(n.text, 10) !== 0;
      case 'unary_expression':
        if (n.child(0)?.text === '!') return !this.preprocCondition(n.childForFieldName('argument')!);
        break;
      case 'binary_expression': {
        const op = n.childForFieldName('operator')?.text;
        const l = () => this.preprocCondition(n.childForFieldName('left')!);
        const r = () => this.preprocCondition(n.childForFieldName('right')!);
        if (op === '&&') return l() && r();
        if (op === '||') return l() || r();
        break;
      }
      case 'call_expression': {
        const f = n.childForFieldName('function')?.text;
        const a = n.childForFieldName('arguments')?.namedChildren[0];
        if ((f === 'IS_ENABLED' || f === 'defined') && a != null) return this.configValue(a.text, a);
        break;
      }
    }
    this.t.diag('ML6005', n, `The preprocessor condition '${n.text}' has no mapping.`);
  }

  declaration(n: Node): void {
    const type = n.childForFieldName('type')?.text ?? '';
    for (const d of n.namedChildren) {
      if (d === null) continue;
      if (d.type === 'identifier') {
        this.declareEmpty(d.text, type, d);
        continue;
      }
      if (d.type === 'pointer_declarator' || d.type === 'array_declarator') {
        const name = declaredIdentifier(d);
        if (name !== undefined) this.declareEmpty(name, `${type} *`, d);
        continue;
      }
      if (d.type !== 'init_declarator') continue;
      const declarator = d.childForFieldName('declarator');
      const value = d.childForFieldName('value');
      const name = declaredIdentifier(declarator);
      if (name === undefined || value === null) continue;
      const pointer = declarator?.type === 'pointer_declarator';
      this.init(name, pointer ? `${type} *` : type, value, d);
    }
  }

  declareEmpty(name: string, type: string, at: Node): void {
    if (type === 'struct mmu_notifier_range') {
      this.locals.set(name, { kind: 'range' });
      this.model(at, 'struct mmu_notifier_range', `flattened into the locals ${name}_start and ${name}_end`);
      return;
    }
    this.locals.set(name, type === 'swp_entry_t' ? { kind: 'swp' } : { kind: 'value', type });
  }

  /** `TYPE name = value;` */
  init(name: string, type: string, value: Node, at: Node): void {
    const ln = this.line(at);
    if (type === 'struct page_vma_mapped_walk' && value.type === 'initializer_list') {
      this.statements++;
      this.locals.set(name, { kind: 'walk' });
      const fields = designated(value);
      const arg = (f: string) => {
        const v = fields.get(f);
        if (v === undefined) this.t.diag('ML6005', value, `The walk initialiser has no .${f}.`);
        return this.expr(v).text;
      };
      const args = [arg('page'), arg('vma'), arg('address')];
      const flags = fields.get('flags');
      if (flags !== undefined) this.walkFlags(flags, args);
      for (const f of fields.keys())
        if (!['page', 'vma', 'address', 'flags'].includes(f))
          this.t.diag('ML6010', value, `The walk field .${f} has no mapping.`);
      this.walk = { name, args, line: ln, looped: false };
      return;
    }
    if (type === 'struct mm_struct *') {
      this.locals.set(name, { kind: 'mm' });
      this.item(
        'model',
        at,
        `${name} = ${value.text}`,
        'the model has one mm: the local and every mm argument disappear',
      );
      return;
    }
    const inner = uncast(value);
    if (inner.type === 'identifier' && inner.text === 'arg') {
      this.statements++;
      if (value.type === 'cast_expression') return; // the flags parameter
      this.locals.set(name, { kind: 'counter' });
      this.counter = name;
      this.out.stmt(`${name} = 0;`, ln);
      return;
    }
    const level = this.entryPointer(value);
    if (type.endsWith('*') && level !== undefined) {
      this.statements++;
      this.locals.set(name, { kind: 'entry', level });
      this.model(
        at,
        `${type.replace(' *', '')} *${name}`,
        `a pointer to the entry the walk found: it resolves to ${this.cursor}.address`,
      );
      return;
    }
    if (type === 'swp_entry_t') {
      this.locals.set(name, { kind: 'swp' });
      if (value.type === 'initializer_list') {
        const val = designated(value).get('val');
        if (val === undefined) this.t.diag('ML6005', value, 'A swp_entry_t initialiser without .val has no mapping.');
        this.assign(name, '=', val, at);
        return;
      }
    } else this.locals.set(name, { kind: 'value', type });
    this.assign(name, '=', value, at);
  }

  /** The walk's flags: PVMW_MIGRATION becomes an argument, PVMW_SYNC a note, others no mapping. */
  walkFlags(flags: Node, args: string[]): void {
    const names = flags.text.split('|').map((s) => s.trim());
    if (names.includes('PVMW_MIGRATION')) args.push('PVMW_MIGRATION');
    if (names.includes('PVMW_SYNC'))
      this.model(flags, '.flags = PVMW_SYNC', "the model's walk always behaves as with PVMW_SYNC");
    for (const f of names)
      if (f !== 'PVMW_SYNC' && f !== 'PVMW_MIGRATION' && f !== '0')
        this.t.diag('ML6009', flags, `The walk flag ${f} has no mapping.`);
  }

  /** `DEFINE_FOLIO_VMA_WALK(name, folio, vma, address, flags);` (v6.x): the walk's declaration. */
  defineWalk(call: Node, args: readonly Node[]): void {
    const macro = call.childForFieldName('function')?.text ?? '';
    if (args[0]?.type === 'identifier') this.locals.set(args[0].text, { kind: 'walk' }); // no cascade of errors
    if (args.length !== 5 || args[0]!.type !== 'identifier')
      this.t.diag('ML6012', call, `${macro}() with ${args.length} arguments has no mapping (it takes 5).`);
    const name = args[0]!.text;
    this.statements++;
    this.locals.set(name, { kind: 'walk' });
    const walkArgs = args.slice(1, 4).map((a) => this.expr(a).text);
    this.walkFlags(args[4]!, walkArgs);
    this.model(call, `${macro}()`, `declares the walk ${name} over the folio's page: the foreach below`);
    this.walk = { name, args: walkArgs, line: this.line(call), looped: false };
  }

  /** `&pvmw` (a walk of this function) or `pvmw` (a walk passed by pointer): the walk, else undefined. */
  walkOf(n: Node): Walk | undefined {
    const v = stripParens(n);
    const target = v.type === 'pointer_expression' && v.child(0)?.text === '&' ? v.childForFieldName('argument') : v;
    if (target?.type !== 'identifier' || this.locals.get(target.text)?.kind !== 'walk') return undefined;
    return this.walk !== undefined && this.walk.name === target.text ? this.walk : undefined;
  }

  /** `pvmw` passed to a same-file helper: its folio, vma and address. */
  walkArgs(w: Walk, at: Node): string[] {
    if (w.args.length > 3)
      this.t.diag(
        'ML6013',
        at,
        `A walk with PVMW_MIGRATION passed to a helper has no mapping (the flag would be lost).`,
      );
    if (w.looped || this.inWalk)
      this.t.diag(
        'ML6013',
        at,
        `A walk passed to a helper after it started has no mapping (only its start is passed).`,
      );
    return w.args;
  }

  /** `pvmw` / `pvmw.pte` / `pvmw.pmd` (or an entry pointer): the level, else undefined. */
  entryPointer(n: Node): 'pte' | 'pmd' | undefined {
    if (n.type === 'field_expression') {
      const obj = n.childForFieldName('argument');
      const field = n.childForFieldName('field')?.text;
      if (
        obj?.type === 'identifier' &&
        this.locals.get(obj.text)?.kind === 'walk' &&
        (field === 'pte' || field === 'pmd')
      )
        return field;
    }
    if (n.type === 'identifier') {
      const l = this.locals.get(n.text);
      if (l?.kind === 'entry') return l.level;
    }
    return undefined;
  }

  assign(name: string, op: string, value: Node, at: Node): void {
    this.statements++;
    const ln = this.line(at);
    const v = stripParens(value);
    const level = this.entryPointer(v);
    if (level !== undefined) {
      // `ptep = pvmw.pte;` on a `pte_t *ptep;` declared earlier: the pointer resolves to the address
      const local = this.locals.get(name);
      if (op !== '=' || (local?.kind === 'value' && !local.type.endsWith('*')))
        this.t.diag(
          'ML6005',
          at,
          `Assigning the entry ${oneLine(v.text)} to ${name} has no mapping (only to a pointer).`,
        );
      this.locals.set(name, { kind: 'entry', level });
      this.model(
        at,
        `${name} = ${oneLine(v.text)}`,
        `a pointer to the entry the walk found: it resolves to ${this.cursor}.address`,
      );
      return;
    }
    if (v.type === 'assignment_expression') {
      // `a = b = e;`: b = e, then a = b
      const inner = this.lvalue(v.childForFieldName('left')!);
      this.assign(inner, v.childForFieldName('operator')?.text ?? '=', v.childForFieldName('right')!, at);
      this.out.stmt(`${name} ${op} ${inner};`, ln);
      return;
    }
    if (
      v.type === 'parenthesized_expression' ||
      (value.type === 'parenthesized_expression' && v.type === 'compound_statement')
    ) {
      // a GNU statement expression: its statements, then the value of its last one
      const inner = v.type === 'compound_statement' ? v : v.namedChildren[0];
      if (inner?.type === 'compound_statement') {
        this.statementExpression(inner, (last) => this.assign(name, op, last, at));
        return;
      }
    }
    if (v.type === 'call_expression') {
      const call = this.call(v, 'value');
      if (call !== undefined) {
        this.flushPre(at);
        if (op === '=' && call.text === name) return; // `x = pte_swp_mksoft_dirty(x)`: the identity in the model
        this.out.stmt(`${name} ${op} ${call.text};`, ln);
        return;
      }
    }
    const e = this.expr(value);
    this.flushPre(at);
    if (op === '=' && e.text === name) return; // `x = pte_swp_mksoft_dirty(x)` and the like
    this.out.stmt(`${name} ${op} ${e.text};`, ln);
  }

  /** `({ s1; s2; e; })`: s1, s2 as statements, then `use(e)`. */
  statementExpression(block: Node, use: (last: Node) => void): void {
    const parts = block.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    const last = parts.pop();
    this.item(
      'model',
      block,
      '({ … })',
      'a GNU statement expression: its statements run first, then its value is used',
    );
    for (const p of parts) this.statement(p, undefined);
    if (last?.type !== 'expression_statement' || last.namedChildren[0] == null)
      this.t.diag('ML6011', block, 'The statement expression does not end with a value.');
    use(last.namedChildren[0]);
  }

  expressionStatement(n: Node, next: Node | undefined): void {
    const e = n.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
    if (e === null) return; // `;`
    if (e.type === 'call_expression') {
      const f = e.childForFieldName('function')?.text ?? '';
      const missingSemi = n.children.some((c) => c?.isMissing === true);
      if (ITERATOR.test(f) || (missingSemi && next?.type === 'compound_statement'))
        this.t.diag(
          'ML6006',
          e,
          `${f}() is an iterator macro (a loop the C parser cannot see): it has no mapping; rewrite the loop or import a function without it.`,
        );
    }
    if (n.hasError) this.t.diag('ML6001', firstError(n) ?? n, 'The C does not parse here.');
    const ln = this.line(n);
    switch (e.type) {
      case 'assignment_expression': {
        const left = e.childForFieldName('left')!;
        const op = e.childForFieldName('operator')?.text ?? '=';
        if (this.walkFlagsAssignment(left, op, e.childForFieldName('right')!)) return;
        const target = this.lvalue(left);
        this.assign(target, op, e.childForFieldName('right')!, n);
        return;
      }
      case 'update_expression': {
        this.statements++;
        const arg = e.childForFieldName('argument')!;
        const op = e.childForFieldName('operator')?.text ?? '++';
        this.out.stmt(`${this.lvalue(arg)}${op};`, ln);
        return;
      }
      case 'call_expression': {
        const macro = e.childForFieldName('function')?.text;
        if (macro === 'DEFINE_FOLIO_VMA_WALK' || macro === 'DEFINE_PAGE_VMA_WALK') {
          const args = (e.childForFieldName('arguments')?.namedChildren ?? []).filter(
            (c): c is Node => c !== null && c.type !== 'comment',
          );
          this.defineWalk(e, args);
          return;
        }
        this.statements++;
        const call = this.call(e, 'statement');
        this.flushPre(n);
        if (call !== undefined) this.out.stmt(`${call.text};`, ln);
        return;
      }
      case 'parenthesized_expression': {
        const inner = e.namedChildren[0];
        if (inner?.type === 'compound_statement') {
          this.statementExpression(inner, (last) => this.expressionStatement(last.parent ?? last, undefined));
          return;
        }
        break;
      }
    }
    this.t.diag('ML6005', e, `The C expression statement '${oneLine(e.text)}' has no mapping.`);
  }

  /** `pvmw.flags = PVMW_SYNC;` before the walk starts (v6.x `if (flags & TTU_SYNC)`): a note. */
  walkFlagsAssignment(left: Node, op: string, right: Node): boolean {
    const l = stripParens(left);
    if (l.type !== 'field_expression' || l.childForFieldName('field')?.text !== 'flags') return false;
    const obj = stripParens(l.childForFieldName('argument')!);
    if (obj.type !== 'identifier' || this.locals.get(obj.text)?.kind !== 'walk') return false;
    this.statements++;
    if (op !== '=' || stripParens(right).text !== 'PVMW_SYNC' || this.walk?.looped !== false || this.inWalk)
      this.t.diag(
        'ML6013',
        left,
        `Setting ${oneLine(l.text)} has no mapping (only PVMW_SYNC before the walk starts: the model's walk always syncs).`,
      );
    this.model(
      left,
      `${oneLine(l.text)} = PVMW_SYNC`,
      "the model's walk always behaves as with PVMW_SYNC: nothing to set",
    );
    return true;
  }

  /** An assignment target: a local, `*counter`, or a range's start/end. */
  lvalue(n: Node): string {
    const v = stripParens(n);
    if (v.type === 'identifier') {
      if (!this.locals.has(v.text)) this.locals.set(v.text, { kind: 'value', type: '' });
      const l = this.locals.get(v.text)!;
      if (l.kind === 'mm' || l.kind === 'walk' || l.kind === 'entry' || l.kind === 'range')
        this.t.diag('ML6005', n, `Assigning ${v.text} has no mapping.`);
      return v.text;
    }
    if (v.type === 'pointer_expression' && v.child(0)?.text === '*') {
      const arg = stripParens(v.childForFieldName('argument')!);
      if (arg.type === 'identifier' && this.locals.get(arg.text)?.kind === 'counter') return arg.text;
    }
    if (v.type === 'field_expression') {
      const obj = stripParens(v.childForFieldName('argument')!);
      const field = v.childForFieldName('field')?.text ?? '';
      if (
        obj.type === 'identifier' &&
        this.locals.get(obj.text)?.kind === 'range' &&
        (field === 'start' || field === 'end')
      )
        return `${obj.text}_${field}`;
    }
    this.t.diag('ML6005', n, `The assignment target '${oneLine(n.text)}' has no mapping.`);
  }

  ifStatement(n: Node, elseIf: boolean): void {
    const condNode = n.childForFieldName('condition')!;
    const consequence = n.childForFieldName('consequence')!;
    const alternative = alternativeOf(n);
    const chosen = this.chooseCondition(condNode);
    if (chosen !== undefined) {
      this.item('choose', condNode, chosen.name, chosen.row.note ?? 'not modelled: both answers are explored', 'over');
      this.out.line(`// MODEL: ${chosen.name}(): ${chosen.row.note ?? 'both answers are explored'} (choose)`);
      const [yes, no] = chosen.negated ? [alternative, consequence] : [consequence, alternative];
      this.out.stmt('choose {', this.line(n));
      this.out.indent();
      if (yes !== null) this.body(yes);
      this.out.dedent();
      this.out.line('} or {');
      this.out.indent();
      if (no !== null) this.body(no);
      this.out.dedent();
      this.out.line('}');
      return;
    }
    const cond = this.expr(stripParens(condNode));
    if (cond.k !== undefined) {
      this.item(
        'assumption',
        condNode,
        `if ${oneLine(condNode.text)}`,
        `always ${cond.k} in the model: the ${cond.k ? 'else branch is' : 'branch is'} left out`,
      );
      this.pre.length = 0;
      const taken = cond.k ? consequence : alternative;
      if (taken !== null) this.body(taken);
      return;
    }
    // an else-if reaches here only when isFolded() said its condition needs no hoisting
    if (elseIf) this.out.line(`} else if (${unparen(cond.text)}) {`, this.line(n));
    else {
      this.flushPre(n);
      this.out.stmt(`if (${unparen(cond.text)}) {`, this.line(n));
    }
    this.out.indent();
    this.body(consequence);
    this.out.dedent();
    if (alternative !== null) {
      if (alternative.type === 'if_statement' && !this.isFolded(alternative)) {
        this.statements++;
        this.ifStatement(alternative, true);
      } else {
        this.out.line('} else {');
        this.out.indent();
        this.body(alternative);
        this.out.dedent();
        this.out.line('}');
      }
    } else this.out.line('}');
  }

  /** An else-if whose condition the model fixes is written as a plain else. */
  isFolded(n: Node): boolean {
    const saved = this.pre.length;
    const items = this.t.items.length;
    const diags = this.t.diagnostics.length;
    const lines = this.out.length;
    const notes = new Set(this.notesShown);
    try {
      const c = this.chooseCondition(n.childForFieldName('condition')!);
      if (c !== undefined) return true;
      const e = this.expr(stripParens(n.childForFieldName('condition')!));
      return e.k !== undefined || this.pre.length > saved;
    } catch {
      return true;
    } finally {
      this.pre.length = saved;
      this.t.items.length = items;
      this.t.diagnostics.length = diags;
      this.out.truncate(lines);
      this.notesShown.clear();
      for (const x of notes) this.notesShown.add(x);
    }
  }

  /** `if (f(…))` / `if (!f(…))` with f a `choose` row. */
  chooseCondition(n: Node): { name: string; row: CallRow; negated: boolean } | undefined {
    let v = stripParens(n);
    let negated = false;
    while (v.type === 'unary_expression' && v.child(0)?.text === '!') {
      negated = !negated;
      v = stripParens(v.childForFieldName('argument')!);
    }
    if (v.type !== 'call_expression') return undefined;
    const name = v.childForFieldName('function')?.text ?? '';
    const arity = v.childForFieldName('arguments')?.namedChildren.filter((c) => c?.type !== 'comment').length ?? 0;
    const found = lookupCall(name, arity, this.t.kernel);
    if ('row' in found && found.row.kind === 'choose') return { name, row: found.row, negated };
    return undefined;
  }

  whileStatement(n: Node): void {
    const condNode = stripParens(n.childForFieldName('condition')!);
    const body = n.childForFieldName('body')!;
    if (
      condNode.type === 'call_expression' &&
      condNode.childForFieldName('function')?.text === 'page_vma_mapped_walk'
    ) {
      const arg = condNode.childForFieldName('arguments')?.namedChildren[0];
      const walk = arg == null ? undefined : this.walkOf(arg);
      if (this.walk === undefined || walk === undefined)
        this.t.diag(
          'ML6005',
          condNode,
          'page_vma_mapped_walk() on a walk this function did not initialise has no mapping.',
        );
      if (this.inWalk) this.t.diag('ML6005', condNode, 'A walk inside a walk has no mapping.');
      this.out.stmt(`foreach ${this.cursor} in page_vma_mapped_walk(${this.walk.args.join(', ')}) {`, this.line(n));
      this.inWalk = true;
      this.out.indent();
      this.body(body);
      this.out.dedent();
      this.inWalk = false;
      this.walk.looped = true;
      this.out.line('}');
      return;
    }
    const cond = this.expr(condNode);
    if (this.pre.length > 0)
      this.t.diag('ML6005', n, 'A loop condition that calls a routine or a notifier has no mapping.');
    if (cond.k === false) {
      this.item('assumption', n, `while ${oneLine(condNode.text)}`, 'always false in the model: the loop is left out');
      return;
    }
    this.out.stmt(`while (${unparen(cond.text)}) {`, this.line(n));
    this.out.indent();
    this.body(body);
    this.out.dedent();
    this.out.line('}');
  }

  /** A label no C label and no other loop of this function uses. */
  freshLabel(base: string): string {
    let name = base;
    for (let i = 2; this.labels.has(name); i++) name = `${base}_${i}`;
    this.labels.set(name, -1);
    return name;
  }

  /** Whether a `continue` in `body` belongs to `loop` (not to a loop nested in it). */
  continuesTo(loop: Node, body: Node): boolean {
    return descendants(body, 'continue_statement').some((c) => enclosingLoop(c)?.id === loop.id);
  }

  /** An expression evaluated for its effect (a `for` initialiser or update, comma-separated). */
  effects(e: Node, at: Node): void {
    const v = stripParens(e);
    if (v.type === 'comma_expression') {
      this.effects(v.childForFieldName('left')!, at);
      this.effects(v.childForFieldName('right')!, at);
      return;
    }
    const ln = this.line(at);
    switch (v.type) {
      case 'assignment_expression':
        this.assign(
          this.lvalue(v.childForFieldName('left')!),
          v.childForFieldName('operator')?.text ?? '=',
          v.childForFieldName('right')!,
          at,
        );
        return;
      case 'update_expression': {
        this.statements++;
        const op = v.childForFieldName('operator')?.text ?? '++';
        this.out.stmt(`${this.lvalue(v.childForFieldName('argument')!)}${op};`, ln);
        return;
      }
      case 'call_expression': {
        this.statements++;
        const call = this.call(v, 'statement');
        this.flushPre(at);
        if (call !== undefined) this.out.stmt(`${call.text};`, ln);
        return;
      }
    }
    this.t.diag(
      'ML6014',
      v,
      `The loop expression '${oneLine(v.text)}' has no mapping (an assignment, ++/-- or a call is needed).`,
    );
  }

  /**
   * `for (init; cond; update) body` → `init; while (cond) { body; update; }`, a `continue` of the
   * loop becoming `goto` to a label before the update (C runs the update on `continue`).
   */
  forStatement(n: Node): void {
    const init = n.childForFieldName('initializer');
    const condNode = n.childForFieldName('condition');
    const update = n.childForFieldName('update');
    const body = n.childForFieldName('body')!;
    if (init !== null) {
      if (init.type === 'declaration') this.declaration(init);
      else this.effects(init, n);
    }
    let condText = 'true';
    if (condNode !== null) {
      if (stripParens(condNode).type === 'comma_expression')
        this.t.diag(
          'ML6014',
          condNode,
          'A for condition with a comma has no mapping: it would run its left side once per test.',
        );
      const cond = this.expr(stripParens(condNode));
      if (this.pre.length > 0)
        this.t.diag(
          'ML6014',
          condNode,
          'A for condition that calls a routine or a notifier has no mapping: it runs before every iteration.',
        );
      if (cond.k === false) {
        this.item('assumption', n, `for ${oneLine(condNode.text)}`, 'always false in the model: the loop is left out');
        return;
      }
      condText = unparen(cond.text);
    }
    const label =
      update !== null && this.continuesTo(n, body) ? this.freshLabel(`for_next_${this.line(n)}`) : undefined;
    if (label !== undefined) this.continueLabels.set(n.id, label);
    this.model(
      n,
      'for (…; …; …)',
      'a while loop: the initialiser first, the update at the end of each iteration (and before each continue)',
    );
    this.out.stmt(`while (${condText}) {`, this.line(n));
    this.out.indent();
    this.body(body);
    if (update !== null) {
      if (label !== undefined) this.out.line(`${label}:`, this.line(update));
      this.effects(update, update);
    }
    this.out.dedent();
    this.out.line('}');
  }

  /** `do body while (cond);` → `while (true) { body; if (!(cond)) { break; } }`. */
  doStatement(n: Node): void {
    const body = n.childForFieldName('body')!;
    const condNode = stripParens(n.childForFieldName('condition')!);
    const label = this.continuesTo(n, body) ? this.freshLabel(`do_next_${this.line(n)}`) : undefined;
    if (label !== undefined) this.continueLabels.set(n.id, label);
    if (condNode.type === 'comma_expression')
      this.t.diag(
        'ML6015',
        condNode,
        'A do … while condition with a comma has no mapping; move its left side into the body.',
      );
    this.model(
      n,
      'do … while',
      'a while (true) loop that tests the condition at its end (a continue jumps to the test)',
    );
    this.out.stmt('while (true) {', this.line(n));
    this.out.indent();
    this.body(body);
    if (label !== undefined) this.out.line(`${label}:`, this.line(condNode));
    const cond = this.expr(condNode);
    this.flushPre(condNode);
    if (cond.k !== true) {
      this.out.stmt(cond.k === false ? 'break;' : `if (!(${unparen(cond.text)})) {`, this.line(condNode));
      if (cond.k !== false) {
        this.out.indent();
        this.out.stmt('break;', this.line(condNode));
        this.out.dedent();
        this.out.line('}');
      }
    }
    this.out.dedent();
    this.out.line('}');
  }

  /**
   * `switch` → an if / else-if chain on the value, when no case falls through into the next one
   * and `break` is only each case's last statement (the language has no switch).
   */
  switchStatement(n: Node): void {
    const condNode = stripParens(n.childForFieldName('condition')!);
    const body = n.childForFieldName('body')!;
    const groups: { labels: Node[]; isDefault: boolean; statements: Node[]; at: Node }[] = [];
    let pending: Node[] = [];
    let pendingDefault = false;
    for (const c of body.namedChildren) {
      if (c === null || c.type === 'comment') continue;
      if (c.type !== 'case_statement')
        this.t.diag('ML6016', c, 'A statement before the first case of a switch has no mapping.');
      const value = c.childForFieldName('value');
      if (value === null) pendingDefault = true;
      else pending.push(value);
      const statements = c.namedChildren.filter(
        (s): s is Node => s !== null && s.type !== 'comment' && (value === null || s.id !== value.id),
      );
      if (statements.length === 0) continue; // `case A: case B: …`
      groups.push({ labels: pending, isDefault: pendingDefault, statements, at: c });
      pending = [];
      pendingDefault = false;
    }
    if (pending.length > 0 || pendingDefault)
      groups.push({ labels: pending, isDefault: pendingDefault, statements: [], at: body });
    groups.forEach((g, i) => {
      const last = g.statements[g.statements.length - 1];
      const ends =
        last === undefined ||
        ['break_statement', 'return_statement', 'goto_statement', 'continue_statement'].includes(last.type);
      if (!ends && i < groups.length - 1)
        this.t.diag(
          'ML6016',
          g.at,
          'A case that falls through into the next one has no mapping; end it with break, return or goto.',
        );
      for (const s of g.statements)
        for (const b of [...(s.type === 'break_statement' ? [s] : []), ...descendants(s, 'break_statement')])
          if (b.id !== last?.id && enclosingBreakTarget(b)?.id === n.id)
            this.t.diag(
              'ML6016',
              b,
              "A break before the end of its case has no mapping (only a case's last statement may break).",
            );
    });
    const value = this.expr(condNode);
    this.flushPre(n);
    let subject = unparen(value.text);
    if (!/^[\w.]+$/.test(subject)) {
      const tmp = this.freshLabel(`switch_${this.line(n)}`);
      this.out.stmt(`${tmp} = ${subject};`, this.line(n));
      subject = tmp;
    }
    this.model(n, 'switch', 'an if / else-if chain on the value (no case falls through)');
    const cases = groups.filter((g) => !g.isDefault);
    const fallback = groups.find((g) => g.isDefault);
    const emitBody = (g: (typeof groups)[number]) => {
      this.out.indent();
      for (const s of g.statements) {
        if (s.type === 'break_statement' && s.id === g.statements[g.statements.length - 1]?.id) continue;
        this.statement(s, undefined);
      }
      this.out.dedent();
    };
    cases.forEach((g, i) => {
      const test = g.labels.map((l) => `${subject} == ${atom(this.expr(l).text)}`).join(' || ');
      if (i === 0) this.out.stmt(`if (${test}) {`, this.line(g.at));
      else this.out.line(`} else if (${test}) {`, this.line(g.at));
      emitBody(g);
    });
    if (fallback !== undefined) {
      if (cases.length === 0) {
        this.out.stmt('{', this.line(fallback.at));
      } else this.out.line('} else {');
      emitBody(fallback);
    }
    if (cases.length > 0 || fallback !== undefined) this.out.line('}');
  }

  // ---- expressions -------------------------------------------------------------------------

  expr(n: Node): Expr {
    switch (n.type) {
      case 'parenthesized_expression': {
        const inner = n.namedChildren.find((c) => c !== null && c.type !== 'comment');
        if (inner == null) break;
        if (inner.type === 'compound_statement')
          this.t.diag(
            'ML6011',
            n,
            'A GNU statement expression inside a larger expression has no mapping; assign it to a local first.',
          );
        const e = this.expr(inner);
        return e.k !== undefined ? e : { text: `(${e.text})` };
      }
      case 'number_literal':
        return { text: n.text.replace(/[uUlL]+$/, '') };
      case 'true':
        return { text: 'true', k: true };
      case 'false':
        return { text: 'false', k: false };
      case 'null':
        return { text: 'NULL' };
      case 'identifier':
        return this.identifier(n);
      case 'field_expression':
        return { text: this.field(n, 'value') };
      case 'pointer_expression':
        return this.pointer(n);
      case 'cast_expression':
        return this.expr(n.childForFieldName('value')!);
      case 'unary_expression': {
        const op = n.child(0)?.text ?? '';
        const a = this.expr(n.childForFieldName('argument')!);
        if (op === '!' && a.k !== undefined) return { text: String(!a.k), k: !a.k };
        return { text: `${op}${a.text}` };
      }
      case 'binary_expression':
        return this.binary(n);
      case 'conditional_expression': {
        const c = this.expr(n.childForFieldName('condition')!);
        const a = this.expr(n.childForFieldName('consequence')!);
        const b = this.expr(n.childForFieldName('alternative')!);
        if (c.k !== undefined) return c.k ? a : b;
        return { text: `${c.text} ? ${a.text} : ${b.text}` };
      }
      case 'call_expression': {
        const call = this.call(n, 'value');
        if (call !== undefined) return call;
        break;
      }
    }
    this.t.diag('ML6005', n, `The C expression '${oneLine(n.text)}' (${n.type.replace(/_/g, ' ')}) has no mapping.`);
  }

  identifier(n: Node): Expr {
    const name = n.text;
    const l = this.locals.get(name);
    if (l !== undefined) {
      switch (l.kind) {
        case 'value':
        case 'counter':
        case 'swp':
          return { text: name };
        case 'entry':
          return { text: `${this.cursor}.${l.level}` };
        case 'walk':
          // a walk passed by pointer, named inside its loop (`page_vma_mapped_walk_done(pvmw)`)
          if (this.inWalk) return { text: this.cursor };
          this.t.diag('ML6009', n, `${name} has no value in the model outside its walk loop.`);
          break;
        default:
          this.t.diag(
            'ML6009',
            n,
            `${name} has no value in the model (a ${l.kind}); only its uses the table maps are allowed.`,
          );
      }
    }
    if (LANGUAGE_CONSTANTS.has(name))
      return name === 'true' ? { text: name, k: true } : name === 'false' ? { text: name, k: false } : { text: name };
    const c = lookupConstant(name, this.t.kernel);
    if (c !== undefined) {
      this.item('model', n, name, `the model's value ${c.value}${c.note === undefined ? '' : ` (${c.note})`}`);
      return { text: c.prelude === true ? name : `${c.value} /* ${name} */` };
    }
    // A name assigned later in the function (C declares it at the top of a block we translated).
    this.t.diag('ML6009', n, `The name ${name} has no mapping for kernel ${this.t.kernel}.`);
  }

  /** `pvmw.x`, `vma->vm_end`, `range.start`. */
  field(n: Node, mode: 'value' | 'address'): string {
    const obj = stripParens(n.childForFieldName('argument')!);
    const field = n.childForFieldName('field')?.text ?? '';
    if (obj.type === 'identifier') {
      const l = this.locals.get(obj.text);
      if (l?.kind === 'walk' && this.walk !== undefined) {
        // before the loop, the walk's vma and address are what it was set up with
        if (field === 'vma') return this.walk.args[1]!;
        if (field === 'address' && !this.inWalk && !this.walk.looped) return this.walk.args[2]!;
        if (!this.inWalk) this.t.diag('ML6010', n, `${n.text} outside the walk loop has no mapping.`);
        if (field === 'address') return `${this.cursor}.address`;
        if (field === 'pte' || field === 'pmd')
          return mode === 'address' ? `${this.cursor}.address` : `${this.cursor}.${field}`;
      }
      if (l?.kind === 'range' && (field === 'start' || field === 'end')) return `${obj.text}_${field}`;
      if (l?.kind === 'value' && l.type.startsWith('struct vm_area_struct')) {
        const f = VMA_FIELDS[field];
        if (f !== undefined) return `${obj.text}.${f}`;
      }
    }
    this.t.diag('ML6010', n, `The field ${oneLine(n.text)} has no mapping.`);
  }

  pointer(n: Node): Expr {
    const op = n.child(0)?.text;
    const arg = stripParens(n.childForFieldName('argument')!);
    if (op === '*') {
      const level = this.entryPointer(arg);
      if (level !== undefined) {
        if (!this.inWalk) this.t.diag('ML6010', n, `${n.text} outside the walk loop has no mapping.`);
        return { text: `${level === 'pte' ? 'ptep_get' : 'pmdp_get'}(${this.cursor}.address)` };
      }
      if (arg.type === 'identifier' && this.locals.get(arg.text)?.kind === 'counter') return { text: arg.text };
    }
    if (op === '&' && arg.type === 'identifier') {
      const l = this.locals.get(arg.text);
      if (l?.kind === 'walk') return { text: this.cursor };
      if (l?.kind === 'range') return { text: arg.text };
    }
    this.t.diag('ML6005', n, `The pointer expression '${oneLine(n.text)}' has no mapping.`);
  }

  binary(n: Node): Expr {
    const op = n.childForFieldName('operator')?.text ?? '';
    const leftNode = n.childForFieldName('left')!;
    const rightNode = n.childForFieldName('right')!;
    const vmFlags = this.vmFlagTest(leftNode, rightNode, op);
    if (vmFlags !== undefined) return vmFlags;
    const sub = this.subpage(n);
    if (sub !== undefined) return sub;
    const l = this.expr(leftNode);
    if (op === '&&' && l.k === false) return l;
    if (op === '||' && l.k === true) return l;
    const r = this.expr(rightNode);
    if (op === '&&') {
      if (l.k === true) return r;
      if (r.k === true) return l;
      if (r.k === false) return r;
    }
    if (op === '||') {
      if (l.k === false) return r;
      if (r.k === false) return l;
      if (r.k === true) return r;
    }
    const folded = foldComparison(l.text, op, r.text);
    if (folded !== undefined) return { text: String(folded), k: folded };
    return { text: `${l.text} ${op} ${r.text}` };
  }

  /** `vma->vm_flags & VM_X`. */
  vmFlagTest(left: Node, right: Node, op: string): Expr | undefined {
    if (op !== '&') return undefined;
    const l = stripParens(left);
    if (l.type !== 'field_expression' || l.childForFieldName('field')?.text !== 'vm_flags') return undefined;
    const flag = stripParens(right).text;
    const row = VM_FLAGS[flag];
    if (row === undefined) this.t.diag('ML6009', right, `The VMA flag test '${oneLine(right.text)}' has no mapping.`);
    if (row.note !== undefined) this.model(left.parent ?? left, flag, row.note);
    if (row.emit === 'false') return { text: 'false', k: false };
    return { text: row.emit };
  }

  /** `page - page_to_pfn(page) + pte_pfn(…)`: the subpage, which is the page. */
  subpage(n: Node): Expr | undefined {
    if (n.childForFieldName('operator')?.text !== '+') return undefined;
    const left = n.childForFieldName('left')!;
    const right = n.childForFieldName('right')!;
    if (left.type !== 'binary_expression' || left.childForFieldName('operator')?.text !== '-') return undefined;
    const page = left.childForFieldName('left')!;
    const minus = left.childForFieldName('right')!;
    if (page.type !== 'identifier') return undefined;
    if (minus.type !== 'call_expression' || minus.childForFieldName('function')?.text !== 'page_to_pfn')
      return undefined;
    if (right.type !== 'call_expression' || right.childForFieldName('function')?.text !== 'pte_pfn') return undefined;
    this.model(n, 'subpage', 'one page mapped once: the subpage is the page');
    return { text: page.text };
  }

  /**
   * A call, by the mapping table, as a builtin, or as a same-file helper. `statement`: the call
   * is the whole statement (routines need no hoisting); undefined: nothing to emit (dropped).
   */
  call(n: Node, where: 'statement' | 'value'): Expr | undefined {
    const fnNode = n.childForFieldName('function')!;
    const name = fnNode.text;
    const args = (n.childForFieldName('arguments')?.namedChildren ?? []).filter(
      (c): c is Node => c !== null && c.type !== 'comment',
    );
    if (fnNode.type !== 'identifier') this.t.diag('ML6004', n, `The call through '${oneLine(name)}' has no mapping.`);
    if (ITERATOR.test(name))
      this.t.diag('ML6006', n, `${name}() is an iterator macro (a loop the C parser cannot see): it has no mapping.`);
    switch (name) {
      case 'likely':
      case 'unlikely':
        if (args.length === 1) return this.expr(args[0]!);
        break;
      case 'IS_ENABLED':
        if (args.length === 1) {
          const v = this.configValue(args[0]!.text, args[0]!);
          this.item('assumption', n, `IS_ENABLED(${args[0]!.text})`, `${args[0]!.text}=${v ? 'y' : 'n'}`);
          return { text: String(v), k: v };
        }
        break;
      case 'min':
      case 'max':
        if (args.length === 2) {
          const [a, b] = args.map((a) => this.expr(a));
          return { text: `${name}(${a!.text}, ${b!.text})` };
        }
        break;
      case 'mmu_notifier_range_init':
        return this.rangeInit(n, args, where);
      case 'vma_address_end': {
        const w = args.length === 1 ? this.walkOf(args[0]!) : undefined;
        if (w === undefined || w.looped || this.inWalk)
          this.t.diag(
            'ML6012',
            n,
            'vma_address_end() of something other than a walk that has not started has no mapping.',
          );
        const [page, vma, address] = w.args;
        this.model(
          n,
          'vma_address_end()',
          'the end of the folio in the vma: its start plus its size, clamped to the vma (one folio mapped once)',
        );
        return { text: `min(${vma}.end, ${address} + (PAGE_SIZE << compound_order(${page})))` };
      }
      case 'adjust_range_if_pmd_sharing_possible':
        return this.adjustRange(n, args, where);
      case 'page_vma_mapped_walk':
        this.t.diag(
          'ML6005',
          n,
          'page_vma_mapped_walk() outside `while (page_vma_mapped_walk(&pvmw))` has no mapping.',
        );
    }
    const found = lookupCall(name, args.length, this.t.kernel);
    if (!('row' in found)) {
      if (found.missing === 'name' && this.t.functions.has(name)) return this.helperCall(n, name, args, where);
      if (found.missing === 'name')
        this.t.diag('ML6004', fnNode, `The call ${name}() has no mapping for kernel ${this.t.kernel}.`);
      if (found.missing === 'arity')
        this.t.diag(
          'ML6004',
          fnNode,
          `The call ${name}() with ${args.length} arguments has no mapping (the table has ${found.rows.map((r) => r.arity).join(', ')}).`,
        );
      this.t.diag(
        'ML6004',
        fnNode,
        `The call ${name}() has no mapping for kernel ${this.t.kernel} (its rows hold for ${found.rows.map(versionRange).join(', ')}).`,
      );
    }
    const row = found.row;
    switch (row.kind) {
      case 'dropped':
        if (where === 'value')
          this.t.diag('ML6004', fnNode, `${name}() is dropped by the mapping table but its value is used.`);
        this.item('dropped', n, name, row.note ?? 'left out', row.approximation);
        this.out.line(`// MODEL: ${name}() left out: ${row.note ?? ''}`);
        return undefined;
      case 'choose':
        this.t.diag('ML6005', n, `${name}() is explored both ways only as the whole condition of an if.`);
        break;
      case 'constant':
        this.model(n, `${name}()`, row.note ?? 'a constant in the model');
        return { text: row.emit!, k: row.emit === 'false' ? false : row.emit === 'true' ? true : undefined } as Expr;
      default:
        if (row.note !== undefined) this.model(n, `${name}()`, row.note);
    }
    const text = /^\$\d$/.test(row.emit ?? '') ? atom(this.template(row, args, n)) : this.template(row, args, n);
    if (row.hoist !== undefined && where === 'value') {
      this.pre.push(`${row.hoist} = ${text};`);
      return { text: row.hoist };
    }
    return { text };
  }

  template(row: CallRow, args: readonly Node[], at: Node): string {
    return row.emit!.replace(/\$(\d)(\.start|\.end|<(\w+)>)?/g, (_, d: string, suffix?: string, unwrap?: string) => {
      const a = args[Number(d) - 1];
      if (a === undefined) this.t.diag('ML6004', at, `${row.c}(): missing argument ${d}.`);
      if (suffix === '.start' || suffix === '.end') {
        const v = stripParens(a.type === 'pointer_expression' ? a.childForFieldName('argument')! : a);
        if (v.type !== 'identifier' || this.locals.get(v.text)?.kind !== 'range')
          this.t.diag('ML6004', a, `${row.c}(): the argument is not a struct mmu_notifier_range of this function.`);
        return `${v.text}_${suffix.slice(1)}`;
      }
      if (unwrap !== undefined) {
        const v = stripParens(a);
        if (v.type !== 'call_expression' || v.childForFieldName('function')?.text !== unwrap)
          this.t.diag('ML6004', a, `${row.c}(): argument ${d} is not ${unwrap}(…), which the mapping expects.`);
        const inner = v.childForFieldName('arguments')?.namedChildren[0];
        if (inner == null) this.t.diag('ML6004', a, `${row.c}(): ${unwrap}() without an argument.`);
        return this.argText(inner);
      }
      return this.argText(a);
    });
  }

  /** An argument: an entry pointer passed to a primitive is its address. */
  argText(a: Node): string {
    const v = stripParens(a);
    if (this.entryPointer(v) !== undefined) {
      if (!this.inWalk) this.t.diag('ML6010', a, `${a.text} outside the walk loop has no mapping.`);
      return `${this.cursor}.address`;
    }
    return unparen(this.expr(a).text);
  }

  rangeInit(n: Node, args: readonly Node[], where: 'statement' | 'value'): Expr | undefined {
    // v5.5–v5.12: (range, event, flags, vma, mm, start, end); v6.6: (range, event, flags, mm, start, end)
    const expected = this.t.kernel === 'v6.6' ? 6 : 7;
    if (where !== 'statement' || args.length !== expected)
      this.t.diag(
        'ML6004',
        n,
        `mmu_notifier_range_init() with ${args.length} arguments has no mapping for kernel ${this.t.kernel}.`,
      );
    const r = stripParens(args[0]!);
    const target = r.type === 'pointer_expression' ? stripParens(r.childForFieldName('argument')!) : r;
    if (target.type !== 'identifier' || this.locals.get(target.text)?.kind !== 'range')
      this.t.diag(
        'ML6004',
        n,
        'mmu_notifier_range_init() on something that is not a struct mmu_notifier_range of this function.',
      );
    const start = this.argText(args[expected - 2]!);
    const end = this.argText(args[expected - 1]!);
    this.model(n, 'mmu_notifier_range_init()', 'the event and flags are not modelled: the range is its start and end');
    this.flushPre(n);
    if (start !== `${target.text}_start`) this.out.stmt(`${target.text}_start = ${start};`, this.line(n));
    if (end !== `${target.text}_end`) this.out.stmt(`${target.text}_end = ${end};`, this.line(n));
    return undefined;
  }

  /**
   * `adjust_range_if_pmd_sharing_possible(vma, &range.start, &range.end)` (mm/hugetlb.c, v4.19+),
   * inlined: a VM_MAYSHARE vma that spans an aligned PUD may share PMD tables, so the range
   * widens to the PUDs it touches.
   */
  adjustRange(n: Node, args: readonly Node[], where: 'statement' | 'value'): undefined {
    const bound = (a: Node | undefined, f: 'start' | 'end'): string => {
      const v = a === undefined ? undefined : stripParens(a);
      const t =
        v?.type === 'pointer_expression' && v.child(0)?.text === '&'
          ? stripParens(v.childForFieldName('argument')!)
          : undefined;
      const obj = t?.type === 'field_expression' ? stripParens(t.childForFieldName('argument')!) : undefined;
      if (
        obj?.type !== 'identifier' ||
        this.locals.get(obj.text)?.kind !== 'range' ||
        t?.childForFieldName('field')?.text !== f
      )
        this.t.diag(
          'ML6012',
          n,
          `adjust_range_if_pmd_sharing_possible() takes &range.start and &range.end of a struct mmu_notifier_range of this function.`,
        );
      return `${obj.text}_${f}`;
    };
    if (where !== 'statement' || args.length !== 3)
      this.t.diag(
        'ML6012',
        n,
        'adjust_range_if_pmd_sharing_possible() has no mapping here (a statement of 3 arguments).',
      );
    const vma = this.expr(args[0]!).text;
    const start = bound(args[1], 'start');
    const end = bound(args[2], 'end');
    this.model(
      n,
      'adjust_range_if_pmd_sharing_possible()',
      'inlined from mm/hugetlb.c (v6.6); VM_MAYSHARE is the vma being shared in the model',
    );
    const vStart = `ALIGN(${vma}.start, PUD_SIZE)`;
    const vEnd = `ALIGN_DOWN(${vma}.end, PUD_SIZE)`;
    const ln = this.line(n);
    this.flushPre(n);
    this.out.stmt(`if (${vma}.shared && ${vEnd} > ${vStart} && ${end} > ${vStart} && ${start} < ${vEnd}) {`, ln);
    this.out.indent();
    this.out.stmt(`if (${start} > ${vStart}) {`, ln);
    this.out.indent();
    this.out.stmt(`${start} = ALIGN_DOWN(${start}, PUD_SIZE);`, ln);
    this.out.dedent();
    this.out.line('}');
    this.out.stmt(`if (${end} < ${vEnd}) {`, ln);
    this.out.indent();
    this.out.stmt(`${end} = ALIGN(${end}, PUD_SIZE);`, ln);
    this.out.dedent();
    this.out.line('}');
    this.out.dedent();
    this.out.line('}');
    return undefined;
  }

  helperCall(n: Node, name: string, args: readonly Node[], where: 'statement' | 'value'): Expr {
    const def = this.t.functions.get(name)!;
    const params = findChild(def.childForFieldName('declarator'), 'function_declarator')
      ?.childForFieldName('parameters')
      ?.namedChildren.filter((p): p is Node => p !== null && p.type === 'parameter_declaration');
    const kept: string[] = [];
    args.forEach((a, i) => {
      const p = params?.[i];
      if (p !== undefined && p.childForFieldName('type')?.text === 'struct mm_struct') return;
      const w = this.walkOf(a);
      if (w !== undefined) {
        kept.push(...this.walkArgs(w, a));
        return;
      }
      kept.push(this.argText(a));
    });
    this.t.request(name, true);
    this.item('model', n, `${name}()`, `a same-file helper, imported as ${this.t.routineName(name)}`);
    const text = `${this.t.routineName(name)}(${kept.join(', ')})`;
    if (where === 'value') {
      const tmp = `${name}_ret`;
      this.pre.push(`${tmp} = ${text};`);
      return { text: tmp };
    }
    return { text };
  }
}

// ---- tree helpers ------------------------------------------------------------------------------

function stripParens(n: Node): Node {
  let v = n;
  while (v.type === 'parenthesized_expression') {
    const inner = v.namedChildren.find((c) => c !== null && c.type !== 'comment');
    if (inner == null || inner.type === 'compound_statement') return v;
    v = inner;
  }
  return v;
}

/** The loop a `continue` belongs to. */
function enclosingLoop(n: Node): Node | undefined {
  for (let p = n.parent; p !== null; p = p.parent)
    if (['for_statement', 'while_statement', 'do_statement'].includes(p.type)) return p;
  return undefined;
}

/** The loop or switch a `break` leaves. */
function enclosingBreakTarget(n: Node): Node | undefined {
  for (let p = n.parent; p !== null; p = p.parent)
    if (['for_statement', 'while_statement', 'do_statement', 'switch_statement'].includes(p.type)) return p;
  return undefined;
}

/** `(enum ttu_flags)(long)arg` → `arg`. */
function uncast(n: Node): Node {
  let v = stripParens(n);
  while (v.type === 'cast_expression') v = stripParens(v.childForFieldName('value')!);
  return v;
}

function findChild(n: Node | null, type: string): Node | null {
  let d = n;
  while (d !== null) {
    if (d.type === type) return d;
    d = d.childForFieldName('declarator');
  }
  return null;
}

function declaredIdentifier(n: Node | null): string | undefined {
  let d = n;
  while (d !== null) {
    if (d.type === 'identifier') return d.text;
    d = d.childForFieldName('declarator');
  }
  return undefined;
}

function pointerType(p: Node): string {
  const type = p.childForFieldName('type')?.text ?? '';
  return p.childForFieldName('declarator')?.type === 'pointer_declarator' ? `${type} *` : type;
}

function descendants(n: Node, type: string): Node[] {
  return n.descendantsOfType(type).filter((c): c is Node => c !== null);
}

function firstError(n: Node): Node | undefined {
  if (n.type === 'ERROR' || n.isMissing) return n;
  for (const c of n.children) {
    if (c === null) continue;
    if (c.hasError || c.isMissing || c.type === 'ERROR') {
      const e = firstError(c);
      if (e !== undefined) return e;
    }
  }
  return undefined;
}

/** `{ .a = x, .b = y }` → a → x. */
function designated(list: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const p of list.namedChildren) {
    if (p === null || p.type !== 'initializer_pair') continue;
    const field = p.namedChildren.find((c) => c?.type === 'field_designator');
    const value = p.childForFieldName('value');
    if (field == null || value === null) continue;
    out.set(field.text.replace(/^\./, ''), value);
  }
  return out;
}

function alternativeOf(n: Node): Node | null {
  const alt = n.childForFieldName('alternative');
  if (alt === null) return null;
  if (alt.type === 'else_clause') return alt.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
  return alt;
}

/** `(x)` → `x` when the parentheses enclose the whole text. */
function unparen(t: string): string {
  if (!t.startsWith('(') || !t.endsWith(')')) return t;
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '(') depth++;
    else if (t[i] === ')') depth--;
    if (depth === 0 && i < t.length - 1) return t;
  }
  return unparen(t.slice(1, -1));
}

/** Parenthesised unless a name, a number or a call. */
function atom(t: string): string {
  return /^[\w.@]+$/.test(t) || (/^[\w@]+\(.*\)$/.test(t) && unparen(t.slice(t.indexOf('('))) !== t)
    ? t
    : `(${unparen(t)})`;
}

/** A comparison of two integer literals, evaluated. */
function foldComparison(a: string, op: string, b: string): boolean | undefined {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return undefined;
  const x = BigInt(a);
  const y = BigInt(b);
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '==':
      return x === y;
    case '!=':
      return x !== y;
  }
  return undefined;
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

// ---- the file ------------------------------------------------------------------------------------

export function translateFile(
  tree: Tree,
  file: { path: string; text: string },
  functions: readonly string[],
  opts: ImportOptions,
): ImportResult {
  const t = new FileTranslator(tree, file.path, file.text, opts);
  const routines: string[] = [];
  if (!KERNEL_VERSIONS_COVERED.includes(opts.kernel)) {
    t.diagnostics.push(
      error(
        'ML6003',
        t.file,
        { start: 0, end: 0 },
        `The mapping table does not cover kernel ${opts.kernel} (it covers ${KERNEL_VERSIONS_COVERED.join(', ')}).`,
      ),
    );
  } else {
    for (const f of functions) t.request(f, false);
    t.out.line(`// Imported by mmu-litmus import from ${file.path} (kernel ${opts.kernel}).`);
    t.out.line('');
    for (let i = 0; i < t.queue.length; i++) {
      const { name, helper } = t.queue[i]!;
      const node = t.functions.get(name);
      if (node === undefined) {
        t.diagnostics.push(
          error('ML6002', t.file, { start: 0, end: 0 }, `The function ${name} is not defined in ${file.path}.`),
        );
        continue;
      }
      try {
        new FunctionTranslator(t, name, node).translate(helper);
        routines.push(t.routineName(name));
      } catch (e) {
        if (!(e instanceof Unmapped)) throw e;
      }
    }
  }
  const ok = !t.diagnostics.some((d) => d.severity === 'error');
  const config: Record<string, boolean> = {};
  for (const [k, v] of [...t.config].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) config[k] = v;
  const report: ImportReport = {
    format: 'mmu-litmus-import/1',
    file: file.path,
    kernel: opts.kernel,
    variant: opts.variant,
    config,
    functions: t.imported,
    items: [
      ...t.items,
      ...t.diagnostics
        .filter((d) => d.severity === 'error' && d.code !== 'ML6002' && d.code !== 'ML6003')
        .map(
          (d): ReportItem => ({
            kind: 'unmapped',
            function: '',
            line: lineOf(t.file, d.span.start),
            construct: d.code,
            text: d.message,
          }),
        ),
    ].sort((a, b) => a.line - b.line),
  };
  const lines = t.out.cLines();
  return {
    ok,
    litmus: ok ? t.out.text() : '',
    routines: ok ? routines : [],
    diagnostics: t.diagnostics,
    report,
    cLineOf: (n: number) => (ok ? lines[n - 1] : undefined),
  };
}

function lineOf(f: SourceFile, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < f.text.length; i++) if (f.text.charCodeAt(i) === 10) line++;
  return line;
}
