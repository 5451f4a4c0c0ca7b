// Rewrites the mapping table of docs/import.md from src/import/mapping.ts (through dist: run
// `npm run build` first; `npm run docs:import` does both).
import { readFileSync, writeFileSync } from 'node:fs';
import { withMappingTable } from '../dist/import/mappingDoc.js';

const path = new URL('../docs/import.md', import.meta.url);
writeFileSync(path, withMappingTable(readFileSync(path, 'utf8')));
