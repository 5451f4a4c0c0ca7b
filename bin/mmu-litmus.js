#!/usr/bin/env node
// The mmu-litmus command: a thin wrapper over the compiled CLI in dist/.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
