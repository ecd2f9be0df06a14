/**
 * The layers of shadowvm, bottom to top, and what each may import. Arrows point down only; `npm run lint:layers`
 * (run by `npm test`) fails on any import against them. Keep this list and docs/layout.md in step.
 */
const LAYERS = {
  'src/base': [],
  isa: [],
  'src/asm': ['isa', 'src/base'],
  'src/link': ['src/asm', 'isa', 'src/base'],
  'src/cpu': ['isa', 'src/base'],
  'src/hw': ['src/cpu', 'isa', 'src/base'],
  'src/channel': ['src/base'],
  'src/vmm': ['src/hw', 'src/cpu', 'src/channel', 'isa', 'src/base'],
  'src/ft': ['src/vmm', 'src/hw', 'src/cpu', 'src/channel', 'isa', 'src/base'],
  'src/fuzz': ['src/ft', 'src/vmm', 'src/hw', 'src/cpu', 'src/channel', 'src/asm', 'isa', 'src/base'],
  'src/genprog': ['src/asm', 'isa', 'src/base'],
  // Seeing inside a run (trace export, gdb stub): above the fuzzer, below the command line.
  'src/debug': ['src/fuzz', 'src/genprog', 'src/ft', 'src/vmm', 'src/hw', 'src/cpu', 'src/channel', 'src/asm', 'isa', 'src/base'],
  // The adversarial campaign drives the command line itself, so it sits above src/cli.
  'src/torture': [
    'src/cli',
    'src/debug',
    'src/fuzz',
    'src/genprog',
    'src/ft',
    'src/vmm',
    'src/hw',
    'src/cpu',
    'src/channel',
    'src/asm',
    'isa',
    'src/base',
  ],
};

const esc = (p) => p.replace(/[/.]/g, '\\$&');
const allowed = (layer, below) => `^(${[layer, ...below].map(esc).join('|')})/`;

module.exports = {
  forbidden: [
    ...Object.entries(LAYERS).map(([layer, below]) => ({
      name: `layer-${layer.replace('src/', '')}`,
      comment: `${layer} may import only ${below.length ? below.join(', ') : 'itself'} (and node or npm modules)`,
      severity: 'error',
      from: { path: `^${esc(layer)}/` },
      to: { path: '^(src|isa)/', pathNot: allowed(layer, below) },
    })),
    {
      name: 'no-cli-below',
      comment:
        'only the command line, the adversarial campaign above it (src/torture) and the public entry points sit above everything; nothing else imports src/cli',
      severity: 'error',
      from: { path: '^(src|isa)/', pathNot: '^src/(cli|torture)/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-cycles',
      comment: 'no module depends on itself through others',
      severity: 'error',
      from: { path: '^(src|isa)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
