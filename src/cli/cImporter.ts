// The C front end as check-patch uses it (src/import, loaded once: its parser is WebAssembly).

import type { Importer } from '../patch/importer.js';
import { UsageError } from './args.js';

export async function loadImporter(): Promise<Importer> {
  throw new UsageError('check-patch needs the C front end (src/import), which this build does not have.');
}
