// The C front end as check-patch uses it: src/import with its parser loaded once (WebAssembly).

import { findFunctions, importFunctions, loadCParser } from '../import/index.js';
import type { Importer } from '../patch/importer.js';

export async function loadImporter(): Promise<Importer> {
  const p = await loadCParser();
  return {
    findFunctions: (text) => findFunctions(p, text),
    importFunctions: (file, functions, opts) => importFunctions(p, file, functions, opts),
  };
}
