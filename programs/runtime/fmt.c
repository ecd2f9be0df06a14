/*
 * fmt.c: number and string formatting on top of rt_putc. Compiled into both the guest runtime
 * and the host shim, so the two builds of a program print through the same code.
 */
#include "rt.h"

void rt_puts(const char *s) {
  while (*s) rt_putc(*s++);
}

void rt_putu(uint32_t v) {
  char buf[11];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v != 0);
  while (n > 0) rt_putc(buf[--n]);
}

void rt_putd(int32_t v) {
  if (v < 0) {
    rt_putc('-');
    rt_putu(0u - (uint32_t)v);
  } else {
    rt_putu((uint32_t)v);
  }
}

void rt_puthex(uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  rt_putc('0');
  rt_putc('x');
  for (int shift = 28; shift >= 0; shift -= 4) rt_putc(digits[(v >> shift) & 15u]);
}
