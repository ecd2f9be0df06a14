/**
 * Places input sections by a linker script: each output section starts at its address, its memory
 * region's next free byte or the location counter, aligned to the largest alignment of its inputs
 * (and its ALIGN); inputs follow in script order, then object order, each at its own alignment.
 * Input sections no statement names (orphans) follow the last output section, one output section
 * per name, as GNU ld appends them.
 */
import { ShadowError } from '../base/errors.js';
import { SHF_EXECINSTR, SHF_WRITE } from '../asm/elf.js';
import type { InputObject, InputSection } from './objects.js';
import { matches, type LinkerScript, type ScriptExpr } from './script.js';

export interface OutputSection {
  readonly name: string;
  readonly addr: number;
  readonly size: number;
  readonly align: number;
  readonly nobits: boolean;
  readonly exec: boolean;
  readonly write: boolean;
  readonly inputs: readonly InputSection[];
}

export interface Layout {
  readonly outputs: readonly OutputSection[];
  /** Symbols the script assigns. */
  readonly scriptSymbols: ReadonlyMap<string, number>;
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

export function layout(script: LinkerScript, objects: readonly InputObject[], common: InputSection): Layout {
  const all: InputSection[] = objects.flatMap((o) => [...o.sections.values()]);
  if (common.size > 0) all.push(common);
  const taken = new Set<InputSection>();
  const scriptSymbols = new Map<string, number>();
  const regionNext = new Map([...script.regions].map(([name, r]) => [name, r.origin]));
  const outputs: OutputSection[] = [];
  let dot = 0;
  const evaluate = (e: ScriptExpr): number => {
    switch (e.k) {
      case 'num':
        return e.v;
      case 'dot':
        return dot;
      case 'sym': {
        const v = scriptSymbols.get(e.name);
        if (v === undefined) throw new ShadowError('LINK', `linker script: symbol '${e.name}' is used before it is assigned`);
        return v;
      }
      case 'align':
        return alignUp(dot, evaluate(e.a));
      case 'bin':
        return e.op === '+' ? evaluate(e.a) + evaluate(e.b) : evaluate(e.a) - evaluate(e.b);
    }
  };
  const matching = (patterns: readonly string[]): InputSection[] =>
    all.filter((s) => !taken.has(s) && patterns.some((p) => (s === common ? p === 'COMMON' : matches(p, s.name))));
  const place = (
    name: string,
    items: readonly (InputSection | (() => void))[],
    start: number,
    extraAlign: number,
    noload: boolean,
  ): void => {
    const inputs = items.filter((i): i is InputSection => typeof i !== 'function');
    const align = Math.max(extraAlign, 1, ...inputs.map((s) => s.align));
    const addr = alignUp(start, align);
    dot = addr;
    for (const item of items) {
      if (typeof item === 'function') item();
      else {
        dot = alignUp(dot, item.align);
        item.addr = dot;
        dot += item.size;
      }
    }
    if (dot > 0x1_0000_0000) throw new ShadowError('LINK', `output section ${name} ends at 0x${dot.toString(16)}, past 4 GiB`);
    outputs.push({
      name,
      addr,
      size: dot - addr,
      align,
      nobits: noload || (inputs.length > 0 && inputs.every((s) => s.nobits)),
      exec: inputs.some((s) => (s.flags & SHF_EXECINSTR) !== 0),
      write: inputs.some((s) => (s.flags & SHF_WRITE) !== 0),
      inputs,
    });
  };
  for (const st of script.statements) {
    if (st.kind === 'assign') {
      const v = evaluate(st.e);
      if (st.name === '.') dot = v;
      else scriptSymbols.set(st.name, v);
      continue;
    }
    if (st.name === '/DISCARD/') {
      for (const spec of st.body) {
        if (spec.kind !== 'input') continue;
        for (const s of matching(spec.patterns)) {
          s.discarded = true;
          taken.add(s);
        }
      }
      continue;
    }
    const items: (InputSection | (() => void))[] = [];
    for (const b of st.body) {
      if (b.kind === 'input') {
        for (const s of matching(b.patterns)) {
          taken.add(s);
          items.push(s);
        }
      } else {
        items.push(() => {
          const v = evaluate(b.e);
          if (b.name === '.') dot = v;
          else scriptSymbols.set(b.name, v);
        });
      }
    }
    if (st.region !== undefined && !regionNext.has(st.region))
      throw new ShadowError('LINK', `linker script: no memory region '${st.region}'`);
    const start = st.addr ? evaluate(st.addr) : st.region !== undefined ? regionNext.get(st.region)! : dot;
    place(st.name, items, start, st.align ? evaluate(st.align) : 1, st.noload);
    if (st.region !== undefined) regionNext.set(st.region, dot);
  }
  const orphans = all.filter((s) => !taken.has(s));
  for (const name of [...new Set(orphans.map((s) => s.name))]) {
    place(
      name,
      orphans.filter((s) => s.name === name),
      dot,
      1,
      false,
    );
  }
  return { outputs: outputs.filter((o) => o.size > 0 || o.inputs.length > 0), scriptSymbols };
}
