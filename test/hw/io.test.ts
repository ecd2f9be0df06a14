import { beforeEach, describe, expect, it } from 'vitest';
import { RAM_BASE } from '../../isa/csrs.js';
import { Cpu } from '../../src/cpu/cpu.js';
import { IoController } from '../../src/hw/io.js';
import { DEVICE, DISCONNECTED_TAG, IO_OP, IO_STATUS, MAX_OUTSTANDING, RECORD_STATUS, type HwInterrupt } from '../../src/hw/types.js';

const RAM = 64 * 1024;
const IORB = RAM_BASE + 0x1000;
const BUF = RAM_BASE + 0x2000;
const RING = RAM_BASE + 0x3000;

let cpu: Cpu;
let io: IoController;

function iorb(
  f: { op: number; device?: number; tag?: number; addr?: number; len?: number; offset?: number; r0?: number; r1?: number },
  at = IORB,
): number {
  const words = [f.op, f.device ?? DEVICE.CONSOLE, f.tag ?? 0, f.addr ?? BUF, f.len ?? 0, f.offset ?? 0, f.r0 ?? 0, f.r1 ?? 0];
  words.forEach((w, i) => cpu.writeWord(at + 4 * i, w));
  return at;
}

const issue = (f: Parameters<typeof iorb>[0]): ReturnType<IoController['issue']> => io.issue(cpu, iorb(f));
const connect = (device: number = DEVICE.CONSOLE): void => {
  expect(issue({ op: IO_OP.CONNECT, device }).status).toBe(IO_STATUS.ACCEPTED);
};
function ring(capacity: number): void {
  cpu.state.csr.xioq = RING;
  cpu.state.csr.xioqn = capacity;
}
const head = (): number => cpu.readWord(RING)!;
const tail = (): number => cpu.readWord(RING + 4)!;
const record = (i: number): number[] => [0, 4, 8, 12].map((o) => cpu.readWord(RING + 8 + i * 16 + o)!);
const completed = (opId: number, result: number, data?: Uint8Array): HwInterrupt & { class: 'io' } => ({
  class: 'io',
  opId,
  device: 0,
  tag: 0,
  status: RECORD_STATUS.COMPLETED,
  result,
  ...(data ? { data } : {}),
});

beforeEach(() => {
  cpu = Cpu.create({ ramBytes: RAM, trapDelayMax: 0, trapSeed: 1 });
  io = new IoController();
});

describe('I/O request validation (spec 6)', () => {
  it('malformed: misaligned or out-of-RAM IORB, unknown op, reserved words', () => {
    expect(io.issue(cpu, IORB + 2).status).toBe(IO_STATUS.MALFORMED);
    expect(io.issue(cpu, RAM_BASE + RAM - 16).status).toBe(IO_STATUS.MALFORMED);
    expect(io.issue(cpu, 0x100).status).toBe(IO_STATUS.MALFORMED);
    expect(issue({ op: 0 }).status).toBe(IO_STATUS.MALFORMED);
    expect(issue({ op: 5 }).status).toBe(IO_STATUS.MALFORMED);
    expect(issue({ op: IO_OP.CONNECT, r0: 1 }).status).toBe(IO_STATUS.MALFORMED);
    expect(issue({ op: IO_OP.CONNECT, r1: 1 }).status).toBe(IO_STATUS.MALFORMED);
  });

  it('no such device', () => {
    expect(issue({ op: IO_OP.CONNECT, device: 3 }).status).toBe(IO_STATUS.NO_DEVICE);
    expect(issue({ op: IO_OP.READ, device: 0xffffffff }).status).toBe(IO_STATUS.NO_DEVICE);
  });

  it('ledger: producer id and sequence number on WRITE only; an append is 1..4096 bytes at offset 0', () => {
    connect(DEVICE.LEDGER);
    expect(issue({ op: IO_OP.READ, device: DEVICE.LEDGER, len: 4, r0: 1 }).status).toBe(IO_STATUS.MALFORMED);
    expect(issue({ op: IO_OP.WRITE, device: DEVICE.LEDGER, len: 4, offset: 1 }).status).toBe(IO_STATUS.MALFORMED);
    expect(issue({ op: IO_OP.WRITE, device: DEVICE.LEDGER, len: 0 }).status).toBe(IO_STATUS.MALFORMED);
    expect(issue({ op: IO_OP.WRITE, device: DEVICE.LEDGER, len: 4097 }).status).toBe(IO_STATUS.MALFORMED);
    const w = issue({ op: IO_OP.WRITE, device: DEVICE.LEDGER, len: 4096, r0: 7, r1: 3 });
    expect(w.status).toBe(IO_STATUS.ACCEPTED);
    expect(w.op).toMatchObject({ producer: 7, seq: 3, len: 4096 });
    expect(issue({ op: IO_OP.WRITE, device: DEVICE.LEDGER, len: 1 }).op).not.toHaveProperty('producer');
    expect(issue({ op: IO_OP.READ, device: DEVICE.LEDGER, len: 0, offset: 99 }).status).toBe(IO_STATUS.ACCEPTED);
  });

  it('disk transfers must be whole sectors', () => {
    connect(DEVICE.DISK);
    expect(issue({ op: IO_OP.READ, device: DEVICE.DISK, offset: 100, len: 512 }).status).toBe(IO_STATUS.MALFORMED);
    expect(issue({ op: IO_OP.WRITE, device: DEVICE.DISK, offset: 512, len: 100 }).status).toBe(IO_STATUS.MALFORMED);
    expect(issue({ op: IO_OP.READ, device: DEVICE.DISK, offset: 1024, len: 1024 }).status).toBe(IO_STATUS.ACCEPTED);
  });

  it('Rule 0: READ, WRITE and DISCONNECT need a connection; CONNECT is always accepted', () => {
    expect(issue({ op: IO_OP.READ, len: 4 }).status).toBe(IO_STATUS.NOT_CONNECTED);
    expect(issue({ op: IO_OP.WRITE, len: 4 }).status).toBe(IO_STATUS.NOT_CONNECTED);
    expect(issue({ op: IO_OP.DISCONNECT }).status).toBe(IO_STATUS.NOT_CONNECTED);
    connect();
    connect(); // again: harmless
    expect(issue({ op: IO_OP.READ, len: 4 }).status).toBe(IO_STATUS.ACCEPTED);
    expect(issue({ op: IO_OP.DISCONNECT }).status).toBe(IO_STATUS.ACCEPTED);
    expect(issue({ op: IO_OP.WRITE, len: 4 }).status).toBe(IO_STATUS.NOT_CONNECTED);
    expect(io.openDevices()).toEqual([]);
  });

  it('buffers must lie in RAM', () => {
    connect();
    expect(issue({ op: IO_OP.READ, addr: RAM_BASE + RAM - 4, len: 5 }).status).toBe(IO_STATUS.BAD_BUFFER);
    expect(issue({ op: IO_OP.WRITE, addr: 0x1000, len: 1 }).status).toBe(IO_STATUS.BAD_BUFFER);
    expect(issue({ op: IO_OP.READ, addr: RAM_BASE + RAM - 4, len: 4 }).status).toBe(IO_STATUS.ACCEPTED);
  });

  it('too many outstanding operations on one device', () => {
    connect();
    for (let i = 1; i < MAX_OUTSTANDING; i++) expect(issue({ op: IO_OP.READ, len: 1 }).status).toBe(IO_STATUS.ACCEPTED);
    expect(issue({ op: IO_OP.READ, len: 1 }).status).toBe(IO_STATUS.TOO_MANY);
    connect(DEVICE.DISK); // another device has its own limit
  });

  it('records waiting for room in the ring count as outstanding: a guest that never consumes is refused, not buffered', () => {
    ring(1);
    connect();
    for (let i = 1; i < MAX_OUTSTANDING; i++) expect(issue({ op: IO_OP.READ, len: 1 }).status).toBe(IO_STATUS.ACCEPTED);
    for (let id = 1; id <= MAX_OUTSTANDING; id++) io.deliver(cpu, completed(id, 0)); // one record enters the ring, 15 wait
    expect(io.outstanding()).toEqual([]);
    expect(issue({ op: IO_OP.READ, len: 1 }).status).toBe(IO_STATUS.ACCEPTED); // 15 waiting + this one
    expect(issue({ op: IO_OP.READ, len: 1 }).status).toBe(IO_STATUS.TOO_MANY);
    cpu.writeWord(RING, head() + 1); // the guest consumes the record in the ring
    io.retry(cpu);
    expect(issue({ op: IO_OP.READ, len: 1 }).status).toBe(IO_STATUS.ACCEPTED);
  });

  it('assigns operation ids in issue order and copies WRITE data at issue', () => {
    connect();
    cpu.writeBytes(BUF, Uint8Array.of(1, 2, 3));
    const w = issue({ op: IO_OP.WRITE, len: 3, offset: 9, tag: 77 });
    cpu.writeBytes(BUF, Uint8Array.of(9, 9, 9));
    expect(w.op).toEqual({ opId: 2, op: IO_OP.WRITE, device: 0, tag: 77, addr: BUF, len: 3, offset: 9, data: Uint8Array.of(1, 2, 3) });
    expect(io.outstanding().map((o) => o.opId)).toEqual([1, 2]);
    expect(io.openDevices()).toEqual([DEVICE.CONSOLE]);
  });

  it('a controller whose devices perform nothing (a backup) accepts the same WRITE without copying its bytes', () => {
    connect();
    cpu.writeBytes(BUF, Uint8Array.of(1, 2, 3));
    const w = io.issue(cpu, iorb({ op: IO_OP.WRITE, len: 3, offset: 9, tag: 77 }), false);
    expect(w.status).toBe(IO_STATUS.ACCEPTED);
    expect(w.op).toStrictEqual({ opId: 2, op: IO_OP.WRITE, device: 0, tag: 77, addr: BUF, len: 3, offset: 9 });
  });
});

describe('completion records (the ring)', () => {
  it('delivers records at tail, READ data into the buffer at the same moment, and sets MEIP', () => {
    ring(4);
    connect();
    const r = issue({ op: IO_OP.READ, len: 4, tag: 0x55 }).op!;
    expect(io.deliver(cpu, completed(1, 0))).toBe(true);
    expect(cpu.state.csr.mip).toBe(0x800);
    expect(record(0)).toEqual([0, 0, 0, 0]);
    expect(io.deliver(cpu, completed(r.opId, 3, Uint8Array.of(7, 8, 9)))).toBe(true);
    expect(tail()).toBe(2);
    expect(record(1)).toEqual([0x55, 0, 3, 0]);
    expect(Array.from(cpu.readBytes(BUF, 4)!)).toEqual([7, 8, 9, 0]);
    expect(io.outstanding()).toEqual([]);
  });

  it('records wait while the ring is full, and enter it when the guest makes room', () => {
    ring(2);
    connect();
    for (let i = 0; i < 3; i++) issue({ op: IO_OP.READ, len: 2, tag: 100 + i, addr: BUF + 16 * i });
    io.deliver(cpu, completed(1, 0));
    io.deliver(cpu, completed(2, 2, Uint8Array.of(1, 1)));
    io.deliver(cpu, completed(3, 2, Uint8Array.of(2, 2)));
    expect(tail()).toBe(2);
    expect(io.state.waiting).toHaveLength(1);
    expect(Array.from(cpu.readBytes(BUF + 16, 2)!)).toEqual([0, 0]); // its data waits with its record
    cpu.state.csr.mip = 0;
    expect(io.retry(cpu)).toBe(0);
    cpu.writeWord(RING, 1); // the guest consumed one
    expect(io.retry(cpu)).toBe(1);
    expect(tail()).toBe(3);
    expect(record(0)).toEqual([101, 0, 2, 0]); // record number 2 is at index 2 mod 2
    expect(Array.from(cpu.readBytes(BUF, 2)!)).toEqual([1, 1]);
    expect(Array.from(cpu.readBytes(BUF + 16, 2)!)).toEqual([2, 2]);
    expect(cpu.state.csr.mip).toBe(0x800);
  });

  it('free-running counters wrap around 2^32', () => {
    ring(4);
    cpu.writeWord(RING, 0xffffffff);
    cpu.writeWord(RING + 4, 0xffffffff);
    connect();
    io.deliver(cpu, completed(1, 0));
    expect(tail()).toBe(0);
    expect(head()).toBe(0xffffffff);
    expect(record(3)).toEqual([0, 0, 0, 0]);
  });

  it('no ring, or a ring that is not a power of two or not in RAM: records wait', () => {
    connect();
    io.deliver(cpu, completed(1, 0));
    expect(io.state.waiting).toHaveLength(1);
    for (const [q, n] of [
      [RING, 3],
      [RING + 2, 4],
      [RAM_BASE + RAM - 16, 4],
      [RING, 0],
    ] as const) {
      cpu.state.csr.xioq = q;
      cpu.state.csr.xioqn = n;
      expect(io.retry(cpu)).toBe(0);
    }
    expect(cpu.state.csr.mip).toBe(0);
    ring(8);
    expect(io.retry(cpu)).toBe(1);
  });

  it('ERROR records, and a READ that returned fewer bytes', () => {
    ring(4);
    connect();
    issue({ op: IO_OP.WRITE, len: 2, tag: 5 });
    issue({ op: IO_OP.READ, len: 8, tag: 6 });
    io.deliver(cpu, { class: 'io', opId: 2, device: 0, tag: 5, status: RECORD_STATUS.ERROR, result: 0 });
    io.deliver(cpu, completed(3, 1, Uint8Array.of(0x41)));
    expect(record(0)).toEqual([5, 2, 0, 0]);
    expect(record(1)).toEqual([6, 0, 1, 0]);
  });

  it("a DISCONNECTED record drops the device's outstanding operations and closes it; their late completions are ignored", () => {
    ring(8);
    connect();
    connect(DEVICE.DISK);
    issue({ op: IO_OP.READ, len: 1, tag: 1 });
    issue({ op: IO_OP.READ, device: DEVICE.DISK, len: 512, tag: 2 });
    expect(io.outstanding().map((o) => o.opId)).toEqual([1, 2, 3, 4]);
    io.deliver(cpu, {
      class: 'io',
      opId: -1,
      device: DEVICE.CONSOLE,
      tag: DISCONNECTED_TAG,
      status: RECORD_STATUS.DISCONNECTED,
      result: 0,
    });
    expect(record(0)).toEqual([DISCONNECTED_TAG, 1, 0, 0]);
    expect(io.outstanding().map((o) => o.opId)).toEqual([2, 4]);
    expect(io.openDevices()).toEqual([DEVICE.DISK]);
    expect(issue({ op: IO_OP.READ, len: 1 }).status).toBe(IO_STATUS.NOT_CONNECTED);
    expect(io.deliver(cpu, completed(3, 1, Uint8Array.of(1)))).toBe(false);
    expect(tail()).toBe(1);
    connect();
    expect(issue({ op: IO_OP.READ, len: 1 }).status).toBe(IO_STATUS.ACCEPTED);
  });

  it('depends only on what the guest did and what was delivered', () => {
    const run = (): number[] => {
      cpu = Cpu.create({ ramBytes: RAM, trapDelayMax: 0, trapSeed: 1 });
      io = new IoController();
      ring(2);
      connect();
      issue({ op: IO_OP.READ, len: 3, tag: 9 });
      issue({ op: IO_OP.WRITE, len: 3, tag: 10 });
      io.deliver(cpu, completed(3, 3));
      io.deliver(cpu, completed(1, 0));
      io.deliver(cpu, completed(2, 2, Uint8Array.of(4, 5)));
      return [...io.digestWords(), ...Array.from(cpu.readBytes(RING, 48)!), ...Array.from(cpu.readBytes(BUF, 4)!)];
    };
    expect(run()).toEqual(run());
  });
});
