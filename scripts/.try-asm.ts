import { readFileSync, readdirSync } from 'node:fs';
import { assemble } from '/work/wt/asm/src/asm/assembler.ts';
const dir = process.argv[2]!;
let ok = 0,
  bad = 0;
for (const f of readdirSync(dir)
  .filter((f) => f.endsWith('.s'))
  .sort()) {
  try {
    assemble(readFileSync(dir + '/' + f, 'utf8'), { file: f });
    ok++;
  } catch (e) {
    bad++;
    console.log(
      (e as Error).message
        .split('\n')
        .filter((_, i) => i % 3 === 0)
        .slice(0, 4)
        .join('\n'),
    );
  }
}
console.log({ ok, bad });
