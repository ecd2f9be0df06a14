/*
 * kio.c: the guest's kernel I/O library (see kio.h for the API).
 *
 * State:
 *  - the completion ring (XSHADOW.md 6): two free-running counters, head (ours) and tail (the
 *    machine's), then KIO_RING 16-byte records {tag, status, result, device};
 *  - a table of KIO_SLOTS slots, one per outstanding operation. A slot keeps the operation's
 *    IORB (tag = slot number) and, for a WRITE, a private copy of the data the IORB points at,
 *    until the operation has its final result. That is what makes reissue possible: the same
 *    IORB, the same offset, the same bytes, whatever the program did with its buffer since;
 *  - per device: connection state, and `wanted` (the program uses it, so keep it connected).
 *    A device's CONNECT uses its own IORB with tag KIO_SLOTS + device, so connecting never
 *    needs a free slot.
 *
 * Slot life: FREE -> PENDING (submitted, not yet accepted by `io`) -> INFLIGHT (accepted) ->
 * DONE (COMPLETED or ERROR record, or refused) -> FREE (the program waited for it).
 *
 * Everything happens in pump(): consume every record in the ring, then make progress (connect
 * wanted devices that are not connected, issue PENDING slots whose device is connected). pump()
 * never blocks; waiting is "pump, and if what we wait for is not done, sleep" (kio_sleep).
 *
 * Interrupts: the library takes none. Outside kio_sleep, mie.MEIE is 0, so a record sets mip.MEIP
 * and nothing else happens (mstatus.MIE is 1 in C programs, for deferred traps, see console.c).
 * kio_sleep masks mstatus.MIE, sets mie.MEIE (wfi wakes on a pending enabled interrupt even with
 * MIE = 0, and no interrupt can be taken, so none can slip in between the check and the wfi),
 * clears mip.MEIP, looks at the ring once more, executes wfi only if it is still empty (a record
 * produced after the clear sets MEIP again, so wfi cannot miss it), then restores mie and mstatus.
 *
 * Reissue (the patent's corollary, Rule 3): a DISCONNECTED record for device d means every
 * operation on d without a COMPLETED record may or may not have been performed, and no record
 * will ever come for them. So every INFLIGHT slot on d goes back to PENDING, the device goes
 * back to "not connected", and the next progress step connects d again and, once the CONNECT
 * completes, issues those slots again, unchanged. Positional devices absorb the duplicates.
 */
#include "kio.h"
#include "rt.h"
#include "shadow.h"

#ifdef KIO_NO_REISSUE
const int kio_reissue = 0;
#else
const int kio_reissue = 1;
#endif

/*
 * KIO_EAGER_REISSUE: issue PENDING slots as soon as the device's CONNECT has been accepted, without
 * waiting for its record. The machine connects at issue (XSHADOW.md 6), so this keeps Rule 0 and
 * saves a round trip after a disconnection. It also means the first operations after a reconnect take
 * the operation ids right after the CONNECT's: a monitor that wrongly kept the failed epoch's
 * completions (which name those ids) would complete the wrong operations. journal-eager.elf is built
 * with it so that the fuzzer's test of that broken monitor has a guest where the flaw shows.
 */
#ifdef KIO_EAGER_REISSUE
static const int kio_eager = 1;
#else
static const int kio_eager = 0;
#endif

/*
 * Planted flaws: a build with one of these -D switches is a deliberately broken guest, for the fuzzer's
 * planted-bug suite (the planted entries of scripts/build-programs.ts, test/fuzz/planted.test.ts). Without them the code is
 * the correct library, byte for byte.
 *  KIO_NO_REISSUE_WRITE / KIO_NO_REISSUE_READ  on DISCONNECTED, WRITEs (READs) are taken as completed
 *  KIO_NO_RECONNECT       reissues, but never connects again: the device stays "connected" in its books
 *  KIO_REISSUE_SHIFTED    reissues at the wrong offset (offset + len, where an append would go next)
 *  KIO_DISCONNECTED_AS_COMPLETED  a DISCONNECTED record completes every in-flight operation of its device
 *  KIO_IGNORE_UNKNOWN_TAGS  drops any record whose tag names no slot or CONNECT before reading its status
 * The ledger's (-DKIO_LEDGER, XSHADOW.md 10; plain appends reissued blindly are the program's choice):
 *  KIO_LEDGER_SEQ_REUSE   a lost sequenced append is given up, and its sequence number goes to the next entry
 *  KIO_LEDGER_BLIND_COND  a conditional append answered ERROR is appended again at the present length,
 *                         without reading entry N to see whether the first attempt was performed
 * And one that is not a flaw by itself but hands recovery to the program:
 *  KIO_REPORT_DISCONNECT  on DISCONNECTED, in-flight disk operations end with KIO_EDISCONN (the program
 *                         redoes them; console operations are still reissued here)
 */
#define REC_COMPLETED    0u
#define REC_DISCONNECTED 1u

struct iorb {
  uint32_t op, device, tag, addr, len, offset, reserved0, reserved1;
};
struct record {
  uint32_t tag, status, result, device;
};
struct ring {
  uint32_t head, tail; /* header: two words, then the records */
  struct record rec[KIO_RING];
};

enum { S_FREE, S_PENDING, S_INFLIGHT, S_DONE };
enum { D_NONE, D_CONNECTING, D_CONNECTED, D_FAILED };

struct slot {
  struct iorb iorb;
  int32_t result;
  uint8_t state;
};
struct device {
  struct iorb connect;
  uint8_t state;
  uint8_t wanted;
};

static volatile struct ring ring __attribute__((aligned(16)));
static struct slot slots[KIO_SLOTS] __attribute__((aligned(16)));
static uint8_t copies[KIO_SLOTS][KIO_MAXLEN] __attribute__((aligned(16)));
static struct device devs[KIO_NDEV];
static uint32_t inflight; /* accepted operations and CONNECTs whose record has not come */
static struct kio_stats stats;

const struct kio_stats *kio_get_stats(void) { return &stats; }

void kio_init(void) {
  ring.head = 0;
  ring.tail = 0;
  csr_write(CSR_XIOQN, KIO_RING);
  csr_write(CSR_XIOQ, (uint32_t)(uintptr_t)&ring);
}

static void finish(struct slot *s, int32_t result) {
  s->state = S_DONE;
  s->result = result;
  if (result < 0) stats.errors++;
}

/* Issue this device's CONNECT. */
static void start_connect(int d) {
  struct device *dv = &devs[d];
  dv->connect = (struct iorb){KIO_OP_CONNECT, (uint32_t)d, KIO_SLOTS + (uint32_t)d, 0, 0, 0, 0, 0};
  int32_t st = sh_io(&dv->connect);
  if (st == 0) {
    dv->state = D_CONNECTING;
    inflight++;
    stats.connects++;
  } else if (st == KIO_ETOOMANY && inflight > 0) {
    stats.retries++; /* stays D_NONE: tried again after the next record */
  } else {
    dv->state = D_FAILED;
  }
}

/* Issue a PENDING slot. Returns 0 when it should go on issuing others, -1 to stop this round. */
static int issue(struct slot *s) {
  int32_t st = sh_io(&s->iorb);
  if (st == 0) {
    s->state = S_INFLIGHT;
    inflight++;
    return 0;
  }
#ifdef KIO_NO_RECONNECT
  if (st == KIO_ENOTCONN) {
    finish(s, st); /* the deliberate bug: a lost connection is never made again */
    return 0;
  }
#endif
  if (st == KIO_ENOTCONN) {
    /* The machine says the device is not connected (Rule 0): connect, keep the slot PENDING. */
    devs[s->iorb.device].state = D_NONE;
    start_connect((int)s->iorb.device);
    return 0;
  }
  if (st == KIO_ETOOMANY && inflight > 0) {
    stats.retries++; /* too many outstanding: stays PENDING until a record frees room */
    return -1;
  }
  finish(s, st);
  return 0;
}

/* Rule 3 and its corollary: see the header comment. */
static void on_disconnect(uint32_t d) {
  stats.disconnects++;
  if (d >= KIO_NDEV) return;
  struct device *dv = &devs[d];
  if (dv->state == D_CONNECTING) inflight--; /* its CONNECT will have no record */
#ifndef KIO_NO_RECONNECT
  dv->state = D_NONE;
#endif
  for (int i = 0; i < KIO_SLOTS; i++) {
    struct slot *s = &slots[i];
    if (s->state != S_INFLIGHT || s->iorb.device != d) continue;
    inflight--;
#if defined(KIO_LEDGER_SEQ_REUSE)
    if (d == KIO_DEV_LEDGER) {
      finish(s, KIO_EDISCONN); /* part of the deliberate bug: a lost append is given up */
      continue;
    }
#endif
#if defined(KIO_REPORT_DISCONNECT)
    if (d == KIO_DEV_DISK) {
      finish(s, KIO_EDISCONN);
      continue;
    }
#endif
#if defined(KIO_NO_REISSUE_WRITE)
    int again = s->iorb.op != KIO_OP_WRITE;
#elif defined(KIO_NO_REISSUE_READ)
    int again = s->iorb.op != KIO_OP_READ;
#else
    int again = kio_reissue;
#endif
    if (again) {
      s->state = S_PENDING; /* same IORB, same offset, same data copy */
#ifdef KIO_REISSUE_SHIFTED
      s->iorb.offset += s->iorb.len; /* the deliberate bug: reissued where the next operation would go */
#endif
      stats.reissued++;
    } else {
      finish(s, (int32_t)s->iorb.len); /* the deliberate bug: pretend it completed */
    }
  }
}

static void on_record(const struct record *r) {
#ifdef KIO_IGNORE_UNKNOWN_TAGS
  if (r->tag >= KIO_SLOTS + KIO_NDEV) { /* the deliberate bug: DISCONNECTED records carry no slot's tag */
    stats.stray++;
    return;
  }
#endif
#ifdef KIO_DISCONNECTED_AS_COMPLETED
  if (r->status == REC_DISCONNECTED) { /* the deliberate bug: as if every in-flight operation had completed */
    stats.disconnects++;
    for (int i = 0; i < KIO_SLOTS; i++) {
      if (slots[i].state != S_INFLIGHT || slots[i].iorb.device != r->device) continue;
      inflight--;
      finish(&slots[i], (int32_t)slots[i].iorb.len);
    }
    return;
  }
#endif
  if (r->status == REC_DISCONNECTED) {
    on_disconnect(r->device);
    return;
  }
  if (r->tag >= KIO_SLOTS && r->tag < KIO_SLOTS + KIO_NDEV) {
    struct device *dv = &devs[r->tag - KIO_SLOTS];
    if (dv->state != D_CONNECTING) {
      stats.stray++;
      return;
    }
    inflight--;
    dv->state = r->status == REC_COMPLETED ? D_CONNECTED : D_FAILED;
    return;
  }
  if (r->tag >= KIO_SLOTS || slots[r->tag].state != S_INFLIGHT) {
    stats.stray++; /* the machine never sends these; counted, not trusted */
    return;
  }
  inflight--;
  finish(&slots[r->tag], r->status == REC_COMPLETED ? (int32_t)r->result : KIO_EIO);
}

/* Consume every record in the ring. */
static void consume(void) {
  uint32_t head = ring.head;
  while (head != ring.tail) {
    volatile struct record *v = &ring.rec[head & (KIO_RING - 1)];
    struct record r = {v->tag, v->status, v->result, v->device};
    head++;
    ring.head = head;
    stats.records++;
    on_record(&r);
  }
}

/* Connect wanted devices, issue PENDING slots, fail the ones whose device cannot connect. */
static void progress(void) {
  for (int d = 0; d < KIO_NDEV; d++) {
    if (devs[d].wanted && devs[d].state == D_NONE) start_connect(d);
  }
  for (int i = 0; i < KIO_SLOTS; i++) {
    struct slot *s = &slots[i];
    if (s->state != S_PENDING) continue;
    uint8_t ds = devs[s->iorb.device].state;
    if (ds == D_CONNECTED || (kio_eager && ds == D_CONNECTING)) {
      if (issue(s) < 0) break;
    } else if (ds == D_FAILED) {
      finish(s, KIO_ECONNECT);
    }
  }
}

static void pump(void) {
  consume();
  progress();
}

/* Sleep until the machine produces a record (see the header comment for why this cannot miss one). */
static void kio_sleep(void) {
  uint32_t mstatus = csr_read_clear(mstatus, MSTATUS_MIE);
  csr_set(mie, MIE_MEIE);
  csr_clear(mip, MIP_MEIP);
  if (ring.head == ring.tail) {
    stats.sleeps++;
    sh_wfi();
  }
  csr_clear(mie, MIE_MEIE);
  if (mstatus & MSTATUS_MIE) csr_set(mstatus, MSTATUS_MIE);
}

int kio_connect(int dev) {
  if (dev < 0 || dev >= KIO_NDEV) return KIO_EINVAL;
  struct device *dv = &devs[dev];
  dv->wanted = 1;
  if (dv->state == D_FAILED) dv->state = D_NONE;
  for (;;) {
    pump();
    if (dv->state == D_CONNECTED) return 0;
    if (dv->state == D_FAILED) return KIO_ECONNECT;
    if (inflight == 0) return KIO_ESTUCK;
    kio_sleep();
  }
}

/* A submission; the ledger's WRITEs carry a producer id and a sequence number in the IORB's words +24, +28. */
static int submit(int op, int dev, const void *addr, uint32_t len, uint32_t offset, uint32_t producer, uint32_t seq) {
  if (dev < 0 || dev >= KIO_NDEV) return KIO_EINVAL;
  if (op != KIO_OP_READ && op != KIO_OP_WRITE) return KIO_EINVAL;
  if (op == KIO_OP_WRITE && len > KIO_MAXLEN) return KIO_EINVAL;
  int h = 0;
  while (h < KIO_SLOTS && slots[h].state != S_FREE) h++;
  if (h == KIO_SLOTS) return KIO_ENOSLOT;
  struct slot *s = &slots[h];
  uint32_t buf = (uint32_t)(uintptr_t)addr;
  if (op == KIO_OP_WRITE) {
    memcpy(copies[h], addr, len);
    buf = (uint32_t)(uintptr_t)copies[h];
  }
  s->iorb = (struct iorb){(uint32_t)op, (uint32_t)dev, (uint32_t)h, buf, len, offset, producer, seq};
  s->state = S_PENDING;
  s->result = 0;
  stats.submitted++;
  devs[dev].wanted = 1;
  if (devs[dev].state == D_FAILED) devs[dev].state = D_NONE; /* try connecting again */
  pump();
  return h;
}

int kio_submit(int op, int dev, void *addr, uint32_t len, uint32_t offset) { return submit(op, dev, addr, len, offset, 0, 0); }

#ifdef KIO_LEDGER
static uint32_t ledger_seq; /* the last sequence number given to an append of this program's producer */

int kio_ledger_append_seq(const void *entry, uint32_t len, uint32_t producer) {
  if (producer == 0 || producer == KIO_LEDGER_CONDITIONAL) return KIO_EINVAL;
#ifdef KIO_LEDGER_SEQ_REUSE
  /* The deliberate bug: the number advances only when an append completes; one lost in a DISCONNECTED
   * is given up (on_disconnect), and its number goes to the program's next, different, entry. */
  uint32_t seq = ledger_seq + 1;
  int h = submit(KIO_OP_WRITE, KIO_DEV_LEDGER, entry, len, 0, producer, seq);
  int r = h < 0 ? h : kio_wait(h);
  if (r >= 0) ledger_seq = seq;
  return r;
#else
  int h = submit(KIO_OP_WRITE, KIO_DEV_LEDGER, entry, len, 0, producer, ++ledger_seq);
  return h < 0 ? h : kio_wait(h);
#endif
}

static uint8_t check_copy[KIO_MAXLEN] __attribute__((aligned(16)));

int kio_ledger_append_cond(const void *entry, uint32_t len, uint32_t expected) {
  int h = submit(KIO_OP_WRITE, KIO_DEV_LEDGER, entry, len, 0, KIO_LEDGER_CONDITIONAL, expected);
  if (h < 0) return h;
  int r = kio_wait(h);
  if (r != KIO_EIO) return r;
#ifdef KIO_LEDGER_BLIND_COND
  /* The deliberate bug: the append "failed", so append again at the ledger's present length, without
   * looking at entry `expected` (which, after a lost completion, is this very entry). */
  int n = kio_ledger_length();
  if (n < 0) return n;
  h = submit(KIO_OP_WRITE, KIO_DEV_LEDGER, entry, len, 0, KIO_LEDGER_CONDITIONAL, (uint32_t)n);
  return h < 0 ? h : kio_wait(h);
#else
  /* Another length: was entry `expected` our own first attempt, performed before its record was lost? */
  h = submit(KIO_OP_READ, KIO_DEV_LEDGER, check_copy, len, expected, 0, 0);
  if (h < 0) return h;
  int got = kio_wait(h);
  if (got == (int)len && memcmp(check_copy, entry, len) == 0) return (int)expected;
  return KIO_EIO;
#endif
}

int kio_ledger_length(void) {
  int h = submit(KIO_OP_READ, KIO_DEV_LEDGER, check_copy, 0, 0, 0, 0);
  return h < 0 ? h : kio_wait(h);
}
#endif

static int valid(int h) { return h >= 0 && h < KIO_SLOTS && slots[h].state != S_FREE; }

int kio_done(int h) {
  if (!valid(h)) return 0;
  pump();
  return slots[h].state == S_DONE;
}

int kio_wait(int h) {
  if (!valid(h)) return KIO_EINVAL;
  struct slot *s = &slots[h];
  for (;;) {
    pump();
    if (s->state == S_DONE) break;
    if (inflight == 0) {
      finish(s, KIO_ESTUCK);
      break;
    }
    kio_sleep();
  }
  s->state = S_FREE;
  return s->result;
}

int kio_wait_all(void) {
  for (;;) {
    pump();
    int busy = 0;
    for (int i = 0; i < KIO_SLOTS; i++) busy |= slots[i].state == S_PENDING || slots[i].state == S_INFLIGHT;
    if (!busy && inflight == 0) break;
    if (inflight == 0) {
      for (int i = 0; i < KIO_SLOTS; i++) {
        if (slots[i].state == S_PENDING) finish(&slots[i], KIO_ESTUCK);
      }
      break;
    }
    kio_sleep();
  }
  int failed = 0;
  for (int i = 0; i < KIO_SLOTS; i++) {
    if (slots[i].state == S_DONE && slots[i].result < 0) failed++;
    slots[i].state = S_FREE;
  }
  return failed;
}
