/*
 * trap.c: the C half of the trap handler (trap.s saves the registers and calls rt_trap).
 *
 *  - mcause 24, deferred traps (XSHADOW.md 4.1): read xtv1/xtv2, clear exactly the bits read,
 *    hand them to rt_on_deferred, and return to mepc (already the next instruction).
 *  - interrupts: the runtime never sets mstatus.MIE, so none should arrive; one that does is
 *    cleared and ignored (kio reads the ring whether or not MEIP is set).
 *  - anything else is a bug in the program: report it on the console and halt with
 *    200 + mcause, so the failure shows in the exit code too.
 */
#include "rt.h"
#include "shadow.h"

volatile uint32_t rt_deferred_v1, rt_deferred_v2, rt_deferred_count;

__attribute__((weak)) void rt_on_deferred(uint32_t v1, uint32_t v2) {
  rt_deferred_v1 |= v1;
  rt_deferred_v2 |= v2;
  rt_deferred_count++;
}

static int in_fatal;

void rt_trap(uint32_t *frame) {
  uint32_t cause = csr_read(mcause);
  if (cause == MCAUSE_DEFERRED) {
    uint32_t v1 = csr_read(CSR_XTV1);
    uint32_t v2 = csr_read(CSR_XTV2);
    csr_clear(CSR_XTV1, v1);
    csr_clear(CSR_XTV2, v2);
    rt_on_deferred(v1, v2);
    return;
  }
  if (cause & 0x80000000u) {
    csr_clear(mip, 1u << (cause & 31u));
    return;
  }
  uint32_t code = 200u + (cause & 31u);
  if (in_fatal) sh_halt(code);
  in_fatal = 1;
  rt_puts("\nfatal trap: mcause=");
  rt_putu(cause);
  rt_puts(" mepc=");
  rt_puthex(frame[0]);
  rt_puts(" mtval=");
  rt_puthex(csr_read(mtval));
  rt_putc('\n');
  rt_exit((int)code);
}
