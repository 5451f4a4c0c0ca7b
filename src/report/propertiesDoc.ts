// docs/properties.md, rendered from the check table (src/model/properties.ts) and three prose
// fragments (scripts/properties-doc/*.md): one source for `explain`, the matrix and the page.
// `npm run docs:properties` writes it; test/docs/propertiesDoc.test.ts checks it is current.

import { PROPERTIES, PROPERTY_DOCS, type PropertyDoc, WARNINGS } from '../model/properties.js';

export interface PropertiesDocProse {
  /** The page's head, before the first property. */
  readonly intro: string;
  /** The section that opens the warnings. */
  readonly warnings: string;
  /** The definitions at the end. */
  readonly definitions: string;
}

function entry(d: PropertyDoc): string {
  return `## ${d.name}

**Violated when:** ${d.when}

**Checked:** ${d.checked}

**In the kernel:** ${d.kernel}

\`\`\`
${d.example}
\`\`\`

**Tests:** ${d.tests.map((t) => `\`${t}\``).join(', ')}
`;
}

export function renderPropertiesDoc(prose: PropertiesDocProse): string {
  const doc = (name: string) => PROPERTY_DOCS.find((d) => d.name === name)!;
  return [
    prose.intro.trimEnd(),
    ...PROPERTIES.map((p) => entry(doc(p)).trimEnd()),
    prose.warnings.trimEnd(),
    ...WARNINGS.map((w) => entry(doc(w)).trimEnd()),
    prose.definitions.trimEnd(),
  ]
    .join('\n\n')
    .concat('\n');
}
