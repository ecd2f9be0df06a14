#!/usr/bin/env node
// The `shadowvm` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare) and `npm test`.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
