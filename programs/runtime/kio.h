/*
 * kio.h: the guest's kernel I/O library, doing I/O as the patent's Rules 0-3 and XSHADOW.md 6
 * require: operations are submitted without blocking, complete in any order through the
 * completion ring, and, on a DISCONNECTED record for a device, the library connects again and
 * reissues every operation on that device that has no COMPLETED record (the corollary).
 * Because every device is positional, a reissued operation has the effect of issuing it once.
 *
 * A build with -DKIO_NO_REISSUE is deliberately broken: on DISCONNECTED it reconnects but treats
 * the outstanding operations as completed (result = len) instead of reissuing them. It exists so
 * the fuzzer can prove that its oracles catch a guest that breaks the rule (journal-noreissue.elf).
 */
#ifndef KIO_H
#define KIO_H
#include <stdint.h>

#define KIO_DEV_CONSOLE 0
#define KIO_DEV_DISK    1
#define KIO_DEV_LEDGER  2
/* The ledger (device 2, XSHADOW.md 10) is used by programs built -DKIO_LEDGER; the others keep two devices. */
#ifdef KIO_LEDGER
#define KIO_NDEV        3
#else
#define KIO_NDEV        2
#endif
/* The ledger's producer id of a conditional append (its sequence number is the length expected). */
#define KIO_LEDGER_CONDITIONAL 0xffffffffu

#define KIO_OP_CONNECT  1
#define KIO_OP_READ     2
#define KIO_OP_WRITE    3

#define KIO_SECTOR      512
#ifndef KIO_SLOTS
#define KIO_SLOTS       16     /* outstanding operations the library tracks (handles 0..15) */
#endif
#define KIO_MAXLEN      4096   /* largest WRITE (its data is copied into the slot) */
#define KIO_RING        64     /* completion ring capacity in records (a power of two) */

/* Errors (negative). -1..-5 are the machine's io statuses, returned as they are. */
#define KIO_EMALFORMED  (-1)
#define KIO_ENODEV      (-2)
#define KIO_ENOTCONN    (-3)
#define KIO_EBUFFER     (-4)
#define KIO_ETOOMANY    (-5)
#define KIO_EIO         (-16)  /* the device answered with an ERROR record */
#define KIO_ENOSLOT     (-17)  /* every slot holds a handle not yet waited for */
#define KIO_EINVAL      (-18)  /* bad device, op, length or handle */
#define KIO_ECONNECT    (-19)  /* the CONNECT was refused or answered with ERROR */
#define KIO_ESTUCK      (-20)  /* nothing in flight could ever complete the operation (a bug) */
#define KIO_EDISCONN    (-21)  /* -DKIO_REPORT_DISCONNECT builds: the connection was lost, redo the operation */

/* Set up the completion ring (xioqn, xioq). The library takes no interrupts: it polls the ring,
 * and sleeps with wfi (mie.MEIE set, mstatus.MIE masked, only around the wfi) when it must wait. */
void kio_init(void);
/* Connect (blocking) and keep the device connected: after a DISCONNECTED record the library
 * connects it again by itself. Optional: kio_submit connects a device on first use. 0 or <0. */
int kio_connect(int dev);
/* Start a READ or WRITE of len bytes at addr, at position offset on the device. Never blocks.
 * WRITE data is copied, so buf may be reused at once. Returns a handle (>= 0) or an error. */
int kio_submit(int op, int dev, void *addr, uint32_t len, uint32_t offset);
/* 1 when the operation has its final result (kio_wait will not sleep), else 0. */
int kio_done(int handle);
/* Wait for an operation and release its handle. Returns bytes transferred (>= 0) or an error. */
int kio_wait(int handle);
/* Wait for every outstanding operation and release every handle. Returns how many failed. */
int kio_wait_all(void);

/* The ledger (XSHADOW.md 10, -DKIO_LEDGER builds). It is not positional: a plain append (kio_submit WRITE
 * on KIO_DEV_LEDGER) that the library reissues after a DISCONNECTED record may be appended twice. The
 * two exactly-once disciplines, each returning the entry's index (>= 0) or an error:
 *  - kio_ledger_append_seq: a producer id (not 0, not KIO_LEDGER_CONDITIONAL; one per program) and a
 *    sequence number that the library gives, 1 for the first append and one more for each next one. The
 *    reissue carries the same two words, and the ledger absorbs it if the first was performed;
 *  - kio_ledger_append_cond: appended only while the ledger holds `expected` entries. When it answers
 *    ERROR (another length), the library reads entry `expected`: if it is this very entry (its bytes
 *    carry a unique request id), the first attempt was performed, and that is its index; else KIO_EIO.
 * kio_ledger_length: the number of entries. */
int kio_ledger_append_seq(const void *entry, uint32_t len, uint32_t producer);
int kio_ledger_append_cond(const void *entry, uint32_t len, uint32_t expected);
int kio_ledger_length(void);

/* Counters for tests and debugging. Programs must not print them: they differ between a run
 * with a fail-over and a run without one, and the fuzzer compares console output. */
struct kio_stats {
  uint32_t submitted, records, disconnects, reissued, connects, errors, stray, sleeps, retries;
};
const struct kio_stats *kio_get_stats(void);

/* 1 in the correct library, 0 in the KIO_NO_REISSUE build. */
extern const int kio_reissue;

#endif
