/*
 * sort.c: CPU-bound benchmark and conformance program. Sorts the same pseudo-random array with
 * quicksort (in place, median of three) and with a bottom-up mergesort, checks both are sorted
 * and identical, and prints a checksum. Exit code: low 7 bits of the checksum, or 128 + 1/2 if
 * a sort is wrong. About 3 million instructions at SCALE 1 (N = 8192 * SCALE).
 */
#include "rt.h"

#ifndef SCALE
#define SCALE 1
#endif
#define N (8192 * SCALE)

static uint32_t a[N], b[N], tmp[N];

static uint32_t rng = 0x2545f491u;
static uint32_t next(void) { /* xorshift32 */
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

static void quicksort(uint32_t *v, int lo, int hi) {
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    /* median of three into v[mid] */
    if (v[mid] < v[lo]) { uint32_t t = v[mid]; v[mid] = v[lo]; v[lo] = t; }
    if (v[hi] < v[lo]) { uint32_t t = v[hi]; v[hi] = v[lo]; v[lo] = t; }
    if (v[hi] < v[mid]) { uint32_t t = v[hi]; v[hi] = v[mid]; v[mid] = t; }
    uint32_t pivot = v[mid];
    int i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        uint32_t t = v[i]; v[i] = v[j]; v[j] = t;
        i++;
        j--;
      }
    }
    /* recurse into the smaller half, loop on the larger: stack depth stays O(log N) */
    if (j - lo < hi - i) {
      quicksort(v, lo, j);
      lo = i;
    } else {
      quicksort(v, i, hi);
      hi = j;
    }
  }
}

static void mergesort(uint32_t *v, int n) {
  uint32_t *src = v, *dst = tmp;
  for (int width = 1; width < n; width *= 2) {
    for (int lo = 0; lo < n; lo += 2 * width) {
      int mid = lo + width < n ? lo + width : n;
      int hi = lo + 2 * width < n ? lo + 2 * width : n;
      int i = lo, j = mid, k = lo;
      while (i < mid && j < hi) dst[k++] = src[i] <= src[j] ? src[i++] : src[j++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    uint32_t *t = src; src = dst; dst = t;
  }
  if (src != v) {
    for (int i = 0; i < n; i++) v[i] = src[i];
  }
}

static int sorted(const uint32_t *v, int n) {
  for (int i = 1; i < n; i++) {
    if (v[i - 1] > v[i]) return 0;
  }
  return 1;
}

int main(void) {
  for (int i = 0; i < N; i++) {
    a[i] = next() % 1000003u; /* duplicates happen: exercises equal keys */
    b[i] = a[i];
  }
  quicksort(a, 0, N - 1);
  mergesort(b, N);
  int ok_q = sorted(a, N), ok_m = sorted(b, N), same = 1;
  uint32_t sum = 0;
  for (int i = 0; i < N; i++) {
    if (a[i] != b[i]) same = 0;
    sum = sum * 31u + a[i];
  }
  rt_puts("sort: n=");
  rt_putu(N);
  rt_puts(" quicksort=");
  rt_puts(ok_q ? "ok" : "WRONG");
  rt_puts(" mergesort=");
  rt_puts(ok_m && same ? "ok" : "WRONG");
  rt_puts(" min=");
  rt_putu(a[0]);
  rt_puts(" median=");
  rt_putu(a[N / 2]);
  rt_puts(" max=");
  rt_putu(a[N - 1]);
  rt_puts(" checksum=");
  rt_puthex(sum);
  rt_putc('\n');
  if (!ok_q) return 129;
  if (!ok_m || !same) return 130;
  return (int)(sum & 127u);
}
