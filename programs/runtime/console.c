/*
 * console.c: the guest's console output stream, and the runtime's start and finish.
 *
 * Output is positional (XSHADOW.md 6): the runtime keeps the stream position and writes each
 * chunk at its offset, so a chunk reissued after a DISCONNECTED record is absorbed as a
 * duplicate. Chunks are written one at a time (the next is submitted only after the previous
 * has its result), because a console device may complete concurrent writes in any order
 * (Rule 2) and a write past the end of what has been written is an ERROR (a gap).
 */
#include "kio.h"
#include "rt.h"
#include "shadow.h"

#define OBUF 256

static char obuf[OBUF];
static uint32_t olen;     /* bytes buffered, not yet submitted */
static uint32_t opos;     /* stream position of the first buffered byte */
static int ohandle = -1;  /* the console write in flight, if any */
uint32_t rt_console_errors;

void rt_flush(void) {
  if (olen == 0) return;
  if (ohandle >= 0) {
    if (kio_wait(ohandle) < 0) rt_console_errors++;
    ohandle = -1;
  }
  int h = kio_submit(KIO_OP_WRITE, KIO_DEV_CONSOLE, obuf, olen, opos);
  if (h >= 0) {
    ohandle = h;
    opos += olen;
  } else {
    rt_console_errors++; /* dropped; the position does not move, so no gap follows */
  }
  olen = 0;
}

void rt_putc(int c) {
  obuf[olen++] = (char)c;
  if (c == '\n' || olen == OBUF) rt_flush();
}

void rt_write(const void *buf, uint32_t len) {
  const char *p = buf;
  for (uint32_t i = 0; i < len; i++) {
    obuf[olen++] = p[i];
    if (olen == OBUF) rt_flush();
  }
}

/* Deferred traps (mcause 24) reach an M-mode guest only while mstatus.MIE is 1 (src/cpu/cpu.ts
 * canTakeDeferred: M mode with MIE = 0 means "inside a trap handler", where a delivery would
 * overwrite mepc). So main runs with MIE = 1; no interrupt is enabled in mie outside kio_sleep. */
void rt_init(void) {
  kio_init();
  csr_set(mstatus, MSTATUS_MIE);
}

int rt_fini(int code) {
  rt_flush();
  ohandle = -1;
  kio_wait_all();
  return code;
}

void rt_exit(int code) { sh_halt((uint32_t)rt_fini(code)); }
