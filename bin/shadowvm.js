#!/usr/bin/env node
// The `shadowvm` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare) and `npm test`.
import { main } from '../dist/src/cli/main.js';

// A reader that goes away (`shadowvm disasm x.elf | head`) is not an error of ours: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await main(process.argv.slice(2));
