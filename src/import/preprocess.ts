// Text-level preparation of kernel C before tree-sitter sees it. Kernel attribute macros
// (`__maybe_unused`, `__init`, `__releases(x)`, …) are not C and make tree-sitter guess; they
// carry nothing the model needs, so they are replaced by spaces of the same length: offsets,
// lines and columns stay those of the file.

/** Attribute macros without arguments. */
export const ATTRIBUTE_MACROS: readonly string[] = [
  '__always_inline',
  '__cold',
  '__force',
  '__init',
  '__initdata',
  '__iomem',
  '__maybe_unused',
  '__meminit',
  '__must_check',
  '__percpu',
  '__rcu',
  '__read_mostly',
  '__ref',
  '__sched',
  '__user',
  '__visible',
  '__weak',
  'asmlinkage',
  'noinline',
  'notrace',
];

/** Attribute macros with one parenthesised argument list (lock annotations). */
export const ATTRIBUTE_MACROS_WITH_ARGS: readonly string[] = ['__acquires', '__must_hold', '__releases'];

const plain = new RegExp(`\\b(?:${ATTRIBUTE_MACROS.join('|')})\\b`, 'g');
const withArgs = new RegExp(`\\b(?:${ATTRIBUTE_MACROS_WITH_ARGS.join('|')})\\s*\\([^()]*\\)`, 'g');

export function blankAttributeMacros(text: string): string {
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  return text.replace(withArgs, blank).replace(plain, blank);
}
