/*
 * virt-shim.c: the console half of rt.h (programs/runtime/rt.h) for QEMU's `virt` board, so that the
 * CPU-bound guests (sort, hash, interp) run unchanged under qemu-system-riscv32 as the benchmark's
 * peer: rt_putc writes the 16550 UART, and virt-crt0.s exits through the SiFive test device.
 */
#include <stdint.h>
#include "rt.h"

#define UART ((volatile uint8_t *)0x10000000u)

void rt_putc(int c) { *UART = (uint8_t)c; }

void rt_write(const void *buf, uint32_t len) {
  const uint8_t *p = buf;
  for (uint32_t i = 0; i < len; i++) rt_putc(p[i]);
}

void rt_flush(void) {}

/* How many times virt-crt0.s runs main (the benchmark differences two counts to drop QEMU's start-up). */
#ifndef REPEAT
#define REPEAT 1
#endif
const uint32_t rt_repeat = REPEAT;
