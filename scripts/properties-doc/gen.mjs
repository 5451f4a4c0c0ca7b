// Writes docs/properties.md from the check table (after `npm run build`: it reads dist/) and the
// prose fragments beside this script. `npm run docs:properties`.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderPropertiesDoc } from '../../dist/report/propertiesDoc.js';

const here = (f) => readFileSync(new URL(`./${f}`, import.meta.url), 'utf8');
const out = fileURLToPath(new URL('../../docs/properties.md', import.meta.url));
writeFileSync(
  out,
  renderPropertiesDoc({ intro: here('intro.md'), warnings: here('warnings.md'), definitions: here('definitions.md') }),
);
