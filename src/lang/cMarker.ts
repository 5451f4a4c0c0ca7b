// The `// file.c:LINE` marker that ends every statement `mmu-litmus import` generates. The marker
// travels with the text (pasted into a test, saved with --output), so the trace, diagnostic and
// warning printers find the C line of an imported statement from the litmus line alone. Pure
// string functions of the language: the diagnostic (lang) and trace (report) printers use them.

/** The marker for a C line. */
export function cMarker(cPath: string, line: number): string {
  return `// ${cPath}:${line}`;
}

const MARKER = /\/\/ (\S+\.[ch]):(\d+)\s*$/;

/** The C location a litmus line carries in its trailing marker, if any. */
export function cLocationOf(litmusLine: string): { path: string; line: number } | undefined {
  const m = MARKER.exec(litmusLine);
  if (m === null) return undefined;
  return { path: m[1]!, line: Number(m[2]) };
}
