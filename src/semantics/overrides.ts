// Overrides of a test's own choices from outside it: `--variant ROUTINE=VAR` and `--secondary
// NAME=KIND[@VAR]` (the matrix passes the same). An override that names something that does not
// exist, or something the test does not use, would otherwise be a silent no-op (the verdict of the
// test's default presented as the override's), so both are errors, located on the option itself
// as it reads on the command line.

import type { LitmusFile, RoutineDef, SecondaryDef } from '../lang/ast.js';
import { type Diagnostic, error } from '../lang/diagnostic.js';
import { type SourceFile, type Span, sourceFile } from '../lang/source.js';
import type { Prelude } from './context.js';
import { pickVariant } from './stmt.js';

/** `--variant NAME=VALUE` as one line of its own, with the spans of NAME and VALUE. */
function optionText(flag: string, name: string, value: string): { file: SourceFile; name: Span; value: Span } {
  const text = `${flag} ${name}=${value}`;
  const nameStart = flag.length + 1;
  const valueStart = nameStart + name.length + 1;
  return {
    file: sourceFile('<command-line>', text),
    name: { start: nameStart, end: nameStart + name.length },
    value: { start: valueStart, end: text.length },
  };
}

const label = (d: RoutineDef | SecondaryDef) => (d.variant === undefined ? d.name : `${d.name}@${d.variant}`);

/** The definitions a name resolves among: the test's own if it has any, else the prelude's. */
function candidates<T extends RoutineDef | SecondaryDef>(
  local: readonly T[],
  shipped: readonly T[],
  name: string,
): T[] {
  const own = local.filter((d) => d.name === name);
  return own.length > 0 ? own : shipped.filter((d) => d.name === name);
}

/**
 * ML2030 / ML2031: every `--variant` names an existing variant of an existing routine, every
 * `--secondary` an existing secondary kind (with a variant for `version` when none is named) and
 * a secondary the test registers (ML2032).
 */
export function checkOverrideValues(
  test: LitmusFile,
  prelude: Prelude,
  variants: ReadonlyMap<string, string>,
  secondaryKinds: ReadonlyMap<string, string>,
  version: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, variant] of variants) {
    const o = optionText('--variant', name, variant);
    const defs = candidates(test.routines, prelude.routines, name);
    if (defs.length === 0) out.push(error('ML2030', o.file, o.name, `There is no routine '${name}'.`));
    else if (!defs.some((d) => d.variant === variant))
      out.push(
        error(
          'ML2030',
          o.file,
          o.value,
          `'${name}' has no variant '${variant}' (available: ${defs.map(label).join(', ')}).`,
        ),
      );
  }
  const registered = test.init.flatMap((d) => (d.kind === 'secondary' ? [d.name] : []));
  for (const [name, value] of secondaryKinds) {
    const o = optionText('--secondary', name, value);
    if (!registered.includes(name)) {
      const has = registered.length === 0 ? 'it registers none' : `it registers ${registered.join(', ')}`;
      out.push(error('ML2032', o.file, o.name, `The test registers no secondary '${name}' (${has}).`));
    }
    const [kind, kindVariant] = value.split('@') as [string, string | undefined];
    const defs = candidates(test.secondaries, prelude.secondaries, kind);
    if (pickVariant(defs, kindVariant, version) !== undefined) continue;
    const all = [...new Set([...test.secondaries, ...prelude.secondaries].map(label))].join(', ');
    const why =
      defs.length > 0 && kindVariant === undefined
        ? `Secondary kind '${kind}' has no variant for kernel ${version} (available: ${defs.map(label).join(', ')}).`
        : `Unknown secondary kind '${value}' (available: ${all}).`;
    out.push(error('ML2031', o.file, o.value, why));
  }
  return out;
}

/**
 * ML2032: every `--variant` names a routine that the compiled program calls without naming a
 * variant (`resolved`, collected while inlining, so routines reached only through the prelude
 * count), since only such a call takes the override.
 */
export function checkVariantsUsed(
  test: LitmusFile,
  prelude: Prelude,
  variants: ReadonlyMap<string, string>,
  resolved: ReadonlySet<string>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const versioned = [...resolved]
    .filter((n) => candidates(test.routines, prelude.routines, n).some((d) => d.variant !== undefined))
    .sort();
  for (const [name, variant] of variants) {
    if (resolved.has(name)) continue;
    const o = optionText('--variant', name, variant);
    const has =
      versioned.length === 0
        ? 'it calls no routine that has variants'
        : `routines with variants that it calls: ${versioned.join(', ')}`;
    out.push(
      error(
        'ML2032',
        o.file,
        o.name,
        `The test never calls '${name}' without a variant, so --variant has no effect (${has}).`,
      ),
    );
  }
  return out;
}
