/*
 * shadow.h: the Xshadow instructions and CSR access for C guest code (XSHADOW.md 4-6).
 *
 * GCC knows nothing of Xshadow, so each instruction is emitted with `.insn` using its opcode and
 * funct3 from the spec table: custom-0 (0x0b) R format for addv/subv/mulv/divv/drain, custom-1
 * (0x2b) I format for io/halt. Every wrapper is `asm volatile`: a deferred trap is a side effect,
 * so the compiler must neither drop nor merge nor reorder these instructions relative to `drain`.
 * Guest only; host builds of CPU programs never include this file.
 */
#ifndef SHADOW_H
#define SHADOW_H
#include <stdint.h>

/* CSR numbers (isa/csrs.ts). GNU as only knows the standard names, so the Xshadow ones are numbers. */
#define CSR_XTV1   0x7C0
#define CSR_XTV2   0x7C1
#define CSR_XIOQ   0x7C2
#define CSR_XIOQN  0x7C3
#define CSR_XTIMER 0x7C4

#define MSTATUS_MIE (1u << 3)
#define MIP_MEIP   (1u << 11)
#define MIE_MEIE   (1u << 11)
#define MCAUSE_DEFERRED 24u
#define TRAP_OVF   (1u << 0)   /* V2 bit 0 */
#define TRAP_DIVZ  (1u << 1)   /* V2 bit 1 */

#define SH_STR2(x) #x
#define SH_STR(x) SH_STR2(x)

/* csr may be a name (mstatus, mip, ...) or a number (CSR_XTV1). */
#define csr_read(csr) ({ uint32_t v_; __asm__ volatile("csrr %0, " SH_STR(csr) : "=r"(v_) :: "memory"); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " SH_STR(csr) ", %0" :: "r"((uint32_t)(v)) : "memory")
#define csr_set(csr, v)   __asm__ volatile("csrs " SH_STR(csr) ", %0" :: "r"((uint32_t)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " SH_STR(csr) ", %0" :: "r"((uint32_t)(v)) : "memory")
/* Clear bits and return the old value, in one instruction (csrrc). */
#define csr_read_clear(csr, v) ({ uint32_t v_; __asm__ volatile("csrrc %0, " SH_STR(csr) ", %1" : "=r"(v_) : "r"((uint32_t)(v)) : "memory"); v_; })

/* rd = a + b (wrapping); deferred trap OVF on signed overflow. */
static inline int32_t sh_addv(int32_t a, int32_t b) {
  int32_t r;
  __asm__ volatile(".insn r 0x0b, 0, 0, %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
/* rd = a - b (wrapping); OVF on signed overflow. */
static inline int32_t sh_subv(int32_t a, int32_t b) {
  int32_t r;
  __asm__ volatile(".insn r 0x0b, 1, 0, %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
/* rd = low 32 bits of a * b; OVF when the signed product does not fit. */
static inline int32_t sh_mulv(int32_t a, int32_t b) {
  int32_t r;
  __asm__ volatile(".insn r 0x0b, 2, 0, %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
/* signed a / b; DIVZ when b = 0 (result -1), OVF for INT_MIN / -1 (result INT_MIN). */
static inline int32_t sh_divv(int32_t a, int32_t b) {
  int32_t r;
  __asm__ volatile(".insn r 0x0b, 3, 0, %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
/* Deliver every pending deferred trap now: after it, the trap handler has seen them all. */
static inline void sh_drain(void) {
  __asm__ volatile(".insn r 0x0b, 4, 0, x0, x0, x0" ::: "memory");
}
/* Submit the 32-byte I/O request block at iorb; returns the io status (0 accepted, <0 refused). */
static inline int32_t sh_io(const void *iorb) {
  int32_t st;
  __asm__ volatile(".insn i 0x2b, 0, %0, %1, 0" : "=r"(st) : "r"(iorb) : "memory");
  return st;
}
/* Stop the machine with this exit code. */
static inline __attribute__((noreturn)) void sh_halt(uint32_t code) {
  __asm__ volatile(".insn i 0x2b, 1, x0, %0, 0" :: "r"(code) : "memory");
  __builtin_unreachable();
}
static inline void sh_wfi(void) { __asm__ volatile("wfi" ::: "memory"); }

#endif
