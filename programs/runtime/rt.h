/*
 * rt.h: the runtime API every C guest program uses, identical on the guest (crt0 + console.c +
 * fmt.c + kio.c) and on the host (programs/host/shim.c + fmt.c), so that a CPU-bound program's
 * console output can be compared between the emulated guest and a native build.
 */
#ifndef RT_H
#define RT_H
#include <stdint.h>
#include <stddef.h>

/* Console output. On the guest it is buffered and written with positional console WRITEs
 * (flushed at '\n', when the buffer is full, and by rt_fini after main returns). */
void rt_putc(int c);
void rt_write(const void *buf, uint32_t len);
void rt_flush(void);
/* Formatting, shared by guest and host (fmt.c). */
void rt_puts(const char *s);          /* no newline added */
void rt_putu(uint32_t v);             /* decimal */
void rt_putd(int32_t v);              /* signed decimal */
void rt_puthex(uint32_t v);           /* "0x" and 8 hex digits */

#ifndef RT_HOST
/* Guest only. memcpy and friends are the runtime's own (no libc is linked). */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Called by the trap handler for every delivery of deferred traps (mcause 24), after it has
 * read and cleared xtv1/xtv2. The runtime's weak default ORs them into rt_deferred_v1/_v2 and
 * counts deliveries; a program may define its own. It runs inside the trap handler, possibly in
 * the middle of kio or console code: it must not do I/O. How many deliveries there are depends
 * on the seed (traps raised close together are delivered together); only what was delivered by
 * a `drain` is deterministic. */
void rt_on_deferred(uint32_t v1, uint32_t v2);
extern volatile uint32_t rt_deferred_v1, rt_deferred_v2, rt_deferred_count;

void rt_init(void);                   /* called by crt0 before main */
int rt_fini(int code);                /* called by crt0 after main: flush, wait for all I/O */
__attribute__((noreturn)) void rt_exit(int code); /* rt_fini, then halt */
#else
#include <string.h>
#endif

#endif
