/*
 * mix.c: mixed workload. NBLK blocks of checked arithmetic with the Xshadow instructions
 * (addv, mulv, divv), with a disk write and a console line every PERIOD blocks, then a read
 * back of the disk sectors.
 *
 * Deferred traps are handled the way the patent intends: the hardware may deliver a trap at any
 * point up to D instructions after the instruction that caused it, so the program does not ask
 * *when* a trap arrives. Each block ends with `drain`, which delivers everything still pending;
 * after it, the handler (rt_on_deferred below) has OR-ed every trap class of the block into
 * `block_traps`. A block that overflowed is recomputed with wider arithmetic. The output
 * therefore depends only on which blocks trapped, never on where the traps were delivered, and
 * is the same under every seed (and on the primary and the backup).
 *
 * Exit code: low 7 bits of the final checksum when the read back matches, else 128 + mismatches.
 */
#include "kio.h"
#include "rt.h"
#include "shadow.h"

#define NBLK 1024
#define STEPS 48
#define PERIOD 128
#define NSECT (NBLK / PERIOD)

static volatile uint32_t block_traps;
static uint32_t deliveries; /* depends on the seed: never printed */

void rt_on_deferred(uint32_t v1, uint32_t v2) {
  (void)v1;
  block_traps |= v2;
  deliveries++;
}

static uint32_t sect[NSECT][KIO_SECTOR / 4];
static uint32_t back[NSECT][KIO_SECTOR / 4];

/* One block with the trapping instructions: a sum of pseudo-random products. Most products fit
 * in 30 bits; now and then (x >> 26 == 63) one may not (mulv OVF), the running sum may leave
 * 32 bits (addv OVF), and when x & 0xff == 0 the sum is divided by 0 or 1 (divv DIVZ). */
static int32_t block_fast(uint32_t seed) {
  int32_t acc = (int32_t)(seed & 0xffff);
  uint32_t x = seed | 1;
  for (int i = 0; i < STEPS; i++) {
    x = x * 1103515245u + 12345u;
    int32_t v = (int32_t)(x >> 13) - 0x40000;          /* -2^18 .. 2^18 */
    int32_t w = (x >> 26) == 63 ? 0x2fff : (int32_t)((x >> 3) & 0x7ff);
    acc = sh_addv(acc, sh_mulv(v, w));
    if ((x & 0xff) == 0) acc = sh_divv(acc, (int32_t)((x >> 8) & 1));
  }
  return acc;
}

/* The same block in exact 64-bit arithmetic, folded to 32 bits: what a trapped block uses. */
static int32_t block_wide(uint32_t seed) {
  int64_t acc = (int64_t)(seed & 0xffff);
  uint32_t x = seed | 1;
  for (int i = 0; i < STEPS; i++) {
    x = x * 1103515245u + 12345u;
    int64_t v = (int64_t)(x >> 13) - 0x40000;
    int64_t w = (x >> 26) == 63 ? 0x2fff : (int64_t)((x >> 3) & 0x7ff);
    acc += v * w;
    if ((x & 0xff) == 0 && ((x >> 8) & 1) == 0) acc = -1;
  }
  return (int32_t)((uint32_t)acc ^ (uint32_t)((uint64_t)acc >> 32));
}

int main(void) {
  uint32_t sum = 0, ovf_blocks = 0, divz_blocks = 0;
  int wh = -1;
  kio_connect(KIO_DEV_DISK);
  for (uint32_t b = 0; b < NBLK; b++) {
    block_traps = 0;
    int32_t r = block_fast(b * 0x9e3779b9u);
    sh_drain(); /* every trap of this block has now reached rt_on_deferred */
    uint32_t t = block_traps;
    if (t & TRAP_OVF) ovf_blocks++;
    if (t & TRAP_DIVZ) divz_blocks++;
    if (t) r = block_wide(b * 0x9e3779b9u);
    sum = sum * 31u + (uint32_t)r;
    if ((b + 1) % PERIOD == 0) {
      uint32_t k = b / PERIOD;
      for (int i = 0; i < KIO_SECTOR / 4; i++) sect[k][i] = sum ^ (uint32_t)i * k;
      if (wh >= 0) kio_wait(wh);
      wh = kio_submit(KIO_OP_WRITE, KIO_DEV_DISK, sect[k], KIO_SECTOR, (64 + k) * KIO_SECTOR);
      rt_puts("mix: block ");
      rt_putu(b + 1);
      rt_puts(" sum=");
      rt_puthex(sum);
      rt_puts(" ovf=");
      rt_putu(ovf_blocks);
      rt_puts(" divz=");
      rt_putu(divz_blocks);
      rt_putc('\n');
    }
  }
  if (wh >= 0) kio_wait(wh);
  int h[NSECT];
  for (int k = 0; k < NSECT; k++) h[k] = kio_submit(KIO_OP_READ, KIO_DEV_DISK, back[k], KIO_SECTOR, (64 + (uint32_t)k) * KIO_SECTOR);
  uint32_t bad = 0;
  for (int k = 0; k < NSECT; k++) {
    if (kio_wait(h[k]) != KIO_SECTOR || memcmp(back[k], sect[k], KIO_SECTOR) != 0) bad++;
  }
  rt_puts("mix: ");
  rt_putu(NBLK);
  rt_puts(" blocks, ");
  rt_putu(ovf_blocks);
  rt_puts(" overflowed, ");
  rt_putu(divz_blocks);
  rt_puts(" divided by zero, disk ");
  rt_puts(bad ? "MISMATCH" : "ok");
  rt_puts(", checksum ");
  rt_puthex(sum);
  rt_putc('\n');
  if (bad) return 128 + (int)bad;
  return (int)(sum & 127u);
}
