/*
 * shim.c: the runtime API of rt.h for a native host build, on stdio. With fmt.c it lets a
 * CPU-bound guest program (sort, hash, interp) be compiled by the host's gcc, so a test can
 * check that the emulated guest prints exactly what the native program prints and exits with
 * the same code. Build: gcc -O2 -DRT_HOST -Iprograms/runtime programs/host/shim.c
 * programs/runtime/fmt.c programs/c/sort.c. I/O programs (journal, echo, mix) are guest only.
 */
#include <stdio.h>
#include "rt.h"

void rt_putc(int c) { putchar(c); }

void rt_write(const void *buf, uint32_t len) { fwrite(buf, 1, len, stdout); }

void rt_flush(void) { fflush(stdout); }
