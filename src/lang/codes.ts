// The registry of diagnostic codes. A code is never reused: retire an entry by keeping it and
// noting in its title that it is no longer emitted. Ranges: 1xxx syntax, 2xxx names and semantic
// checks of a test, 3xxx the initial state, 4xxx errors found while running the model (reported
// at the statement, with the thread), 7xxx patches given to `check-patch` (at the patch's line).

export interface CodeDoc {
  readonly code: string;
  readonly title: string;
  readonly area: 'syntax' | 'names' | 'model' | 'search' | 'usage' | 'import' | 'patch';
}

export const CODES: readonly CodeDoc[] = [
  // Lexical
  { code: 'ML1001', title: 'unexpected character', area: 'syntax' },
  { code: 'ML1002', title: 'unterminated comment', area: 'syntax' },
  { code: 'ML1003', title: 'unterminated string', area: 'syntax' },
  { code: 'ML1004', title: 'malformed number', area: 'syntax' },
  { code: 'ML1005', title: 'number does not fit in 64 bits', area: 'syntax' },
  { code: 'ML1006', title: 'malformed variant after @', area: 'syntax' },
  // File structure
  { code: 'ML1010', title: "missing 'MMU <name>' header", area: 'syntax' },
  { code: 'ML1011', title: "missing test name after 'MMU'", area: 'syntax' },
  { code: 'ML1012', title: 'expected a token that is missing', area: 'syntax' },
  { code: 'ML1013', title: 'unexpected token at the top level', area: 'syntax' },
  { code: 'ML1014', title: 'missing initial state block', area: 'syntax' },
  { code: 'ML1015', title: 'test without threads', area: 'syntax' },
  { code: 'ML1016', title: 'section out of order', area: 'syntax' },
  { code: 'ML1017', title: 'duplicate section', area: 'syntax' },
  { code: 'ML1018', title: 'unclosed block', area: 'syntax' },
  // Initial state
  { code: 'ML1020', title: 'unknown initial-state declaration', area: 'syntax' },
  { code: 'ML1021', title: 'unknown attribute or flag', area: 'syntax' },
  { code: 'ML1022', title: 'missing or conflicting VMA attribute', area: 'syntax' },
  { code: 'ML1023', title: 'unknown lock kind', area: 'syntax' },
  { code: 'ML1024', title: 'invalid page-table entry', area: 'syntax' },
  // Definitions and threads
  { code: 'ML1030', title: 'unknown notifier callback', area: 'syntax' },
  { code: 'ML1031', title: 'second fault handler in a secondary', area: 'syntax' },
  { code: 'ML1032', title: 'unknown item in a secondary definition', area: 'syntax' },
  { code: 'ML1033', title: "'on' clause on a thread that is not a device", area: 'syntax' },
  // Statements
  { code: 'ML1040', title: 'expected a statement', area: 'syntax' },
  { code: 'ML1041', title: 'body without braces', area: 'syntax' },
  { code: 'ML1042', title: 'invalid assignment target', area: 'syntax' },
  { code: 'ML1043', title: 'value that is not a call used as a statement', area: 'syntax' },
  { code: 'ML1044', title: "'choose' with fewer than two branches", area: 'syntax' },
  { code: 'ML1045', title: "'foreach' over something that is not a call", area: 'syntax' },
  // Expressions
  { code: 'ML1050', title: 'expected an expression', area: 'syntax' },
  { code: 'ML1051', title: 'nesting too deep', area: 'syntax' },
  { code: 'ML1052', title: 'call of something that is not a name', area: 'syntax' },
  { code: 'ML1053', title: 'variant on a name that is not called', area: 'syntax' },
  // Final condition and locations
  { code: 'ML1060', title: 'expected a condition', area: 'syntax' },
  { code: 'ML1061', title: 'expected a value in a condition', area: 'syntax' },
  { code: 'ML1062', title: 'expected a location', area: 'syntax' },
  // Expectations and config
  { code: 'ML1070', title: 'unknown expectation', area: 'syntax' },
  { code: 'ML1071', title: "'violates' without a property name", area: 'syntax' },
  { code: 'ML1080', title: 'invalid config setting', area: 'syntax' },
  { code: 'ML1081', title: "invalid 'check' switch", area: 'syntax' },
  // Named constants (#define, enum)
  { code: 'ML1100', title: "'#' directive other than '#define'", area: 'syntax' },
  { code: 'ML1101', title: 'function-like macro', area: 'syntax' },
  // Names and semantic checks (semantics/compile.ts and friends)
  { code: 'ML2001', title: 'unknown name', area: 'names' },
  { code: 'ML2002', title: 'unknown routine or primitive', area: 'names' },
  { code: 'ML2003', title: 'wrong number of arguments', area: 'names' },
  { code: 'ML2004', title: 'not available in the configured kernel version', area: 'names' },
  { code: 'ML2005', title: 'recursive routine call', area: 'names' },
  { code: 'ML2006', title: 'call with steps of its own used inside an expression', area: 'names' },
  { code: 'ML2007', title: 'assignment to something that is not a register or variable', area: 'names' },
  { code: 'ML2008', title: 'name declared twice', area: 'names' },
  { code: 'ML2009', title: 'unknown thread or register in the final condition', area: 'names' },
  { code: 'ML2010', title: 'unknown property', area: 'names' },
  { code: 'ML2011', title: "'break' or 'continue' outside a loop", area: 'names' },
  { code: 'ML2012', title: 'user access outside a cpu or device thread', area: 'names' },
  { code: 'ML2013', title: 'secondary-only primitive outside a secondary', area: 'names' },
  { code: 'ML2014', title: 'unknown secondary kind', area: 'names' },
  { code: 'ML2015', title: 'no such secondary or TLB owner', area: 'names' },
  { code: 'ML2016', title: 'no variant of the routine for this kernel', area: 'names' },
  { code: 'ML2017', title: "'choose' inside 'atomic'", area: 'names' },
  { code: 'ML2018', title: 'invalid config key or kernel version', area: 'names' },
  { code: 'ML2020', title: 'unknown field', area: 'names' },
  { code: 'ML2021', title: 'device access through a secondary that cannot fault', area: 'names' },
  { code: 'ML2022', title: 'misused page_vma_mapped_walk', area: 'names' },
  { code: 'ML2023', title: 'argument of the wrong kind', area: 'names' },
  { code: 'ML2024', title: 'too many threads or choose branches', area: 'names' },
  { code: 'ML2030', title: '--variant names no variant of an existing routine', area: 'names' },
  { code: 'ML2031', title: '--secondary names an unknown secondary kind', area: 'names' },
  { code: 'ML2032', title: 'override of a routine or secondary the test does not use', area: 'names' },
  { code: 'ML2033', title: 'routine or secondary defined twice', area: 'names' },
  { code: 'ML2034', title: 'routine named like a primitive', area: 'names' },
  { code: 'ML2040', title: "'goto' to a label that does not exist", area: 'names' },
  { code: 'ML2041', title: 'label defined twice', area: 'names' },
  { code: 'ML2042', title: "backward 'goto'", area: 'names' },
  { code: 'ML2043', title: "'goto' into a nested block", area: 'names' },
  { code: 'ML2044', title: 'constant redefined with another value', area: 'names' },
  { code: 'ML2045', title: 'constant value that is not a constant expression', area: 'names' },
  // Initial state
  { code: 'ML3001', title: 'invalid or misaligned address', area: 'model' },
  { code: 'ML3002', title: 'overlapping vmas', area: 'model' },
  { code: 'ML3003', title: 'entry outside every vma', area: 'model' },
  { code: 'ML3004', title: 'impossible page-table entry or reference', area: 'model' },
  { code: 'ML3005', title: 'translation not backed by the page table', area: 'model' },
  { code: 'ML3006', title: 'page size does not match the entry level', area: 'model' },
  { code: 'ML3007', title: 'unknown page flag', area: 'model' },
  { code: 'ML3008', title: 'initial value that is not a constant', area: 'model' },
  // Errors found while running the model (reported at the statement, with the thread)
  { code: 'ML4001', title: 'a thread runs forever without a step', area: 'search' },
  { code: 'ML4002', title: 'value used as an address is not a user address', area: 'search' },
  { code: 'ML4003', title: 'value used as a frame is not a frame', area: 'search' },
  { code: 'ML4004', title: 'value used as a lock is not a lock', area: 'search' },
  { code: 'ML4005', title: 'lock primitive of the wrong kind', area: 'search' },
  { code: 'ML4006', title: 'value used as a vma is not a vma', area: 'search' },
  { code: 'ML4008', title: 'division by zero', area: 'search' },
  { code: 'ML4040', title: 'hugetlb primitive on an address outside a hugetlb vma', area: 'search' },
  // Importing kernel C (`mmu-litmus import`), reported at the C file's line and column
  { code: 'ML6001', title: 'C that does not parse', area: 'import' },
  { code: 'ML6002', title: 'function not found in the C file', area: 'import' },
  { code: 'ML6003', title: 'kernel version the mapping table does not cover', area: 'import' },
  { code: 'ML6004', title: 'call with no mapping', area: 'import' },
  { code: 'ML6005', title: 'C construct with no mapping', area: 'import' },
  { code: 'ML6006', title: 'iterator macro', area: 'import' },
  { code: 'ML6007', title: 'config option with no value', area: 'import' },
  { code: 'ML6008', title: 'goto to a label that is not after it', area: 'import' },
  { code: 'ML6009', title: 'name with no mapping', area: 'import' },
  { code: 'ML6010', title: 'field with no mapping', area: 'import' },
  { code: 'ML6011', title: 'statement expression where a value is needed', area: 'import' },
  // Patches (check-patch: src/patch)
  { code: 'ML7001', title: 'malformed unified diff', area: 'patch' },
  { code: 'ML7002', title: 'hunk that does not apply to the base', area: 'patch' },
  { code: 'ML7003', title: 'patch that touches no routine of the matrix', area: 'patch' },
  { code: 'ML7004', title: 'patch to more than one file', area: 'patch' },
  { code: 'ML7005', title: 'base that is not the pre-image the patch names', area: 'patch' },
  { code: 'ML7006', title: 'patch that adds or removes a routine of the matrix', area: 'patch' },
];
