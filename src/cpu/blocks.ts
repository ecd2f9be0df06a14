/**
 * Runs one processor on translated blocks (translate.ts), cached by address, with the same contract and
 * the same results, instruction for instruction, as the interpreter's `runSlice` (interp.ts).
 *
 * The recovery register stays exact: the slice's `limit` is the same as the interpreter's (the budget, the
 * recovery register's zero and the trap unit's delivery point, whichever comes first). A block that fits
 * before that limit runs whole; one that does not runs its counted variant, which stops at the limit's
 * exact instruction. Instructions blocks do not hold (sensitive ones, `drain`, illegal words, fetch
 * faults) run in the interpreter, which stops exactly there too.
 *
 * A page's blocks are dropped when a line of it that holds translated code is written: stores in blocks
 * and in the interpreter mark the line (RamViews.code = 2), and so does device access through the Cpu.
 */
import { bind, translateAt, type BlockFn, type Translation } from './translate.js';
import { CODE_SHIFT, SIGN, STOP_BUDGET, STOP_RR, STOP_TRAPS_DELAY, stopLimit, type RamViews } from './loop-env.js';
import { belowState } from '../base/random.js';
import type { LoopFn } from './interp.js';
import type { CpuState, Stop } from './types.js';

/** Whether RAM still holds the words a block was made from ([offset, word] pairs). */
function unchanged(src: Int32Array, m32: Int32Array): boolean {
  for (let j = 0; j < src.length; j += 2) if (m32[src[j]! >> 2] !== src[j + 1]) return false;
  return true;
}

interface Page {
  readonly fns: (BlockFn | undefined)[];
  /** The counted variants (translate.ts), bound the first time a slice stops inside the block. */
  readonly counted: (BlockFn | undefined)[];
  /** Instructions per block; -1: not translated yet; 0: no block starts here (the interpreter runs it). */
  readonly lens: Int16Array;
  /** Each block's translation (it holds the words the block was made from). */
  readonly tr: (Translation | undefined)[];
  /** 1 for each word some block of the page holds. */
  readonly cover: Uint8Array;
}

/** At most this many instructions are interpreted one by one to leave a block a run started inside (see `leadIn`). */
const LEAD_MAX = 64;

export class BlockEngine {
  private readonly pages: (Page | undefined)[];
  /** The last dropped version of each page: its blocks come back when their words are unchanged (a reload). */
  private readonly old: (Page | undefined)[];
  /** Pages that hold translated blocks. */
  private readonly codePages: number[] = [];
  private readonly ex = new Int32Array(5);
  /** Blocks compiled so far (for tests and reports). */
  translated = 0;

  constructor(
    readonly state: CpuState,
    readonly views: RamViews,
    private readonly interp: LoopFn,
  ) {
    const pages = Math.ceil(views.u8.length / 4096);
    this.pages = new Array<Page | undefined>(pages).fill(undefined);
    this.old = new Array<Page | undefined>(pages).fill(undefined);
  }

  /** Whether this engine still belongs to the processor's state (a restored snapshot replaces it). */
  fits(s: CpuState, v: RamViews): boolean {
    return s === this.state && v === this.views && s.regs === this.state.regs && s.dirty === this.state.dirty && s.trap === this.state.trap;
  }

  /** Drops the blocks of every page whose translated code was written since it was translated. */
  private sweep(): void {
    const code = this.views.code;
    const flag = code.length - 1;
    if (code[flag] === 0) return;
    code[flag] = 0;
    const per = 4096 >>> CODE_SHIFT;
    const keep: number[] = [];
    for (const p of this.codePages) {
      const lines = code.subarray(p * per, Math.min(flag, (p + 1) * per));
      if (lines.includes(2)) {
        lines.fill(0);
        this.old[p] = this.pages[p];
        this.pages[p] = undefined;
      } else keep.push(p);
    }
    this.codePages.length = 0;
    this.codePages.push(...keep);
  }

  private page(p: number): Page {
    const page: Page = {
      fns: new Array<BlockFn | undefined>(1024).fill(undefined),
      counted: new Array<BlockFn | undefined>(1024).fill(undefined),
      lens: new Int16Array(1024).fill(-1),
      tr: new Array<Translation | undefined>(1024).fill(undefined),
      cover: new Uint8Array(1024),
    };
    this.pages[p] = page;
    this.codePages.push(p);
    return page;
  }

  /** Translates the block at RAM offset po (index i of its page); returns its length. */
  private translate(page: Page, i: number, po: number): number {
    const m32 = this.views.m32;
    const old = this.old[po >>> 12];
    const was = old?.tr[i];
    if (was !== undefined && unchanged(was.src, m32)) return this.install(page, i, was, old!.fns[i]!, old!.counted[i]);
    const t = translateAt(m32, po);
    if (t === undefined) {
      page.lens[i] = 0;
      return 0;
    }
    const st = this.state;
    const fn = bind(t, st.regs, this.views, st.dirty, st.trap, this.ex);
    this.translated++;
    return this.install(page, i, t, fn, undefined);
  }

  /** Puts a block in its page. */
  private install(page: Page, i: number, t: Translation, fn: BlockFn, counted: BlockFn | undefined): number {
    const src = t.src;
    const code = this.views.code;
    page.fns[i] = fn;
    page.counted[i] = counted;
    page.lens[i] = t.k;
    page.tr[i] = t;
    for (let j = 0; j < src.length; j += 2) {
      const off = src[j]!;
      code[off >>> CODE_SHIFT] = 1;
      page.cover[(off & 4095) >> 2] = 1;
    }
    return t.k;
  }

  /** The counted variant of the block at index i of a page (bound on first use). */
  private counted(page: Page, i: number): BlockFn {
    const st = this.state;
    const fn = bind(page.tr[i]!, st.regs, this.views, st.dirty, st.trap, this.ex, true);
    page.counted[i] = fn;
    return fn;
  }

  /**
   * A run that starts inside a translated block, where no block starts (the last run stopped there: an epoch's
   * end, a trap unit's delivery point), interprets straight on, instruction by instruction, until it reaches a
   * block start or the guest jumps (a jump's target is an entry point of the guest's own, worth a block). It does
   * not translate a block for an entry point that only a stop made: without this, every epoch end of a pair's
   * replicas made a new block (a sort at 4K epochs translated 227 blocks instead of 127). Returns the stop that
   * ends the run, or the budget left.
   */
  private leadIn(budget: number): Stop | number {
    const s = this.state;
    const ramSize = this.views.u8.length;
    let left = budget;
    for (let j = 0; j < LEAD_MAX && left > 0; j++) {
      const po = (s.pc ^ SIGN) | 0;
      if ((po & 3) !== 0 || po >>> 0 >= ramSize) break;
      const page = this.pages[po >>> 12];
      const i = (po & 4095) >> 2;
      if (page === undefined || page.lens[i] !== -1 || page.cover[i] === 0) break;
      const before = s.instret;
      const stop = this.interp(s, this.views, 1);
      left -= s.instret - before;
      if (stop !== STOP_BUDGET) return stop;
      if (((s.pc ^ SIGN) | 0) !== po + 4) break;
    }
    return left;
  }

  /** Same contract as interp.ts `runSlice`. */
  run(whole: number): Stop {
    const budget = this.leadIn(whole);
    if (typeof budget !== 'number') return budget;
    if (budget === 0) return STOP_BUDGET;
    const s = this.state;
    const v = this.views;
    const ex = this.ex;
    const pages = this.pages;
    const ramSize = v.u8.length;
    const code = v.code;
    const codeFlag = code.length - 1;
    const trap = s.trap;
    const rr = s.rr;
    this.sweep();
    let po = (s.pc ^ SIGN) | 0;
    let n = 0;
    let trapAt = trap.countdown | 0;
    let limit = stopLimit(budget, rr, trapAt);
    let tail = false;
    while (n < limit) {
      if ((po & 3) !== 0 || po >>> 0 >= ramSize) {
        tail = true;
        break;
      }
      const p = po >>> 12;
      const page = pages[p] ?? this.page(p);
      const i = (po & 4095) >> 2;
      let k = page.lens[i]!;
      if (k < 0) {
        k = this.translate(page, i, po);
      }
      if (k === 0) {
        tail = true;
        break;
      }
      // A block that does not fit before the stop runs its counted variant, which stops exactly there.
      const next = k <= limit - n ? page.fns[i]!(limit - n) : (page.counted[i] ?? this.counted(page, i))(limit - n);
      n += ex[0]!;
      if (ex[1] !== 0) {
        ex[1] = 0;
        ex[4] = 0;
        po = next;
        s.pc = (po ^ SIGN) >>> 0;
        this.finish(n, rr, trapAt);
        return { kind: 'exception', cause: ex[2]!, tval: ex[3]! >>> 0 };
      }
      po = next;
      if (ex[4] !== 0) {
        ex[4] = 0;
        if (trapAt < 0) {
          trapAt = n + belowState(trap.rng, trap.maxDelay + 1);
          if (trapAt < limit) limit = trapAt;
        }
      }
      if (code[codeFlag] !== 0) this.sweep();
    }
    s.pc = (po ^ SIGN) >>> 0;
    this.finish(n, rr, trapAt);
    if (tail) return this.interp(s, v, limit - n);
    if (rr > 0 && s.rr === 0) return STOP_RR;
    if (trapAt >= 0 && trapAt === n) return STOP_TRAPS_DELAY;
    return STOP_BUDGET;
  }

  private finish(n: number, rr: number, trapAt: number): void {
    const s = this.state;
    s.instret += n;
    if (rr > 0) s.rr = rr - n;
    s.trap.countdown = trapAt < 0 ? -1 : trapAt - n;
  }
}
