/*
 * interp.c: CPU-bound benchmark and conformance program: a tiny language compiled to stack
 * bytecode and interpreted. The source (below) counts primes by trial division, sums Collatz
 * path lengths and runs Euclid's gcd; the compiler is recursive descent, the VM a switch loop.
 * Prints each `print` value and a checksum of them. Exit code: low 7 bits of the checksum, or
 * 128 + 1 if the source does not compile. About 4 million instructions at SCALE 1.
 *
 * Language: variables a..z (int32, wrapping), `v = e;`, `while (e) { ... }`,
 * `if (e) { ... } else { ... }`, `print e;`; expressions with == != < <= > >= + - * / % and
 * unary -, parentheses, decimal numbers. x / 0 and x % 0 are 0 (defined, unlike C).
 */
#include "rt.h"

#ifndef SCALE
#define SCALE 1
#endif
#define STR2(x) #x
#define STR(x) STR2(x)

static const char source[] =
    "n = 500 * " STR(SCALE) "; c = 0; i = 2;\n"
    "while (i < n) { j = 2; p = 1;\n"
    "  while (j * j <= i) { if (i % j == 0) { p = 0; j = i; } else { j = j + 1; } }\n"
    "  c = c + p; i = i + 1; }\n"
    "print c;\n"
    "s = 0; k = 1;\n"
    "while (k < 120 * " STR(SCALE) ") { x = k; while (x != 1) { if (x % 2 == 0) { x = x / 2; } else { x = 3 * x + 1; } s = s + 1; }\n"
    "  k = k + 1; }\n"
    "print s;\n"
    "g = 0; a = 1; while (a < 60) { b = 1; while (b < 60) { x = a; y = b;\n"
    "  while (y != 0) { t = x % y; x = y; y = t; } g = g + x; b = b + 7; } a = a + 1; }\n"
    "print g; print -g / 7; print 7 % 0; print c * s - g;\n";

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, DIV, MOD, LT, LE, GT, GE, EQ, NE, NEG, JMP, JZ, PRINT, HALT };

#define MAXCODE 1024
static int32_t code[MAXCODE];
static int ncode;
static const char *src;
static int failed;

static void emit(int32_t w) {
  if (ncode < MAXCODE) code[ncode++] = w; else failed = 1;
}

static void skip(void) {
  while (*src == ' ' || *src == '\n' || *src == '\t') src++;
}
static int accept(const char *tok) {
  skip();
  int n = 0;
  while (tok[n] && src[n] == tok[n]) n++;
  if (tok[n]) return 0;
  src += n;
  return 1;
}
static void expect(const char *tok) {
  if (!accept(tok)) failed = 1;
}
static int variable(void) {
  skip();
  if (*src >= 'a' && *src <= 'z' && !(src[1] >= 'a' && src[1] <= 'z')) return *src++ - 'a';
  failed = 1;
  return 0;
}

static void expr(void);
static void primary(void) {
  skip();
  if (accept("(")) {
    expr();
    expect(")");
  } else if (accept("-")) {
    primary();
    emit(NEG);
  } else if (*src >= '0' && *src <= '9') {
    uint32_t v = 0;
    while (*src >= '0' && *src <= '9') v = v * 10u + (uint32_t)(*src++ - '0');
    emit(PUSH);
    emit((int32_t)v);
  } else {
    emit(LOAD);
    emit(variable());
  }
}
static void term(void) {
  primary();
  for (;;) {
    if (accept("*")) { primary(); emit(MUL); }
    else if (accept("/")) { primary(); emit(DIV); }
    else if (accept("%")) { primary(); emit(MOD); }
    else return;
  }
}
static void sum(void) {
  term();
  for (;;) {
    if (accept("+")) { term(); emit(ADD); }
    else if (accept("-")) { term(); emit(SUB); }
    else return;
  }
}
static void expr(void) {
  sum();
  if (accept("==")) { sum(); emit(EQ); }
  else if (accept("!=")) { sum(); emit(NE); }
  else if (accept("<=")) { sum(); emit(LE); }
  else if (accept(">=")) { sum(); emit(GE); }
  else if (accept("<")) { sum(); emit(LT); }
  else if (accept(">")) { sum(); emit(GT); }
}

static void block(void);
static void statement(void) {
  if (accept("while")) {
    int top = ncode;
    expect("(");
    expr();
    expect(")");
    emit(JZ);
    int patch = ncode;
    emit(0);
    block();
    emit(JMP);
    emit(top);
    if (patch < MAXCODE) code[patch] = ncode;
  } else if (accept("if")) {
    expect("(");
    expr();
    expect(")");
    emit(JZ);
    int patch = ncode;
    emit(0);
    block();
    if (accept("else")) {
      emit(JMP);
      int over = ncode;
      emit(0);
      if (patch < MAXCODE) code[patch] = ncode;
      block();
      if (over < MAXCODE) code[over] = ncode;
    } else if (patch < MAXCODE) {
      code[patch] = ncode;
    }
  } else if (accept("print")) {
    expr();
    expect(";");
    emit(PRINT);
  } else {
    int v = variable();
    expect("=");
    expr();
    expect(";");
    emit(STORE);
    emit(v);
  }
}
static void block(void) {
  expect("{");
  while (!failed && !accept("}")) statement();
}

static int32_t vars[26];
static int32_t stack[64];
static uint32_t checksum = 17;

static void run(void) {
  int pc = 0, sp = 0;
  for (;;) {
    int32_t op = code[pc++];
    uint32_t b, a;
    switch (op) {
      case PUSH: stack[sp++] = code[pc++]; break;
      case LOAD: stack[sp++] = vars[code[pc++]]; break;
      case STORE: vars[code[pc++]] = stack[--sp]; break;
      case NEG: stack[sp - 1] = (int32_t)(0u - (uint32_t)stack[sp - 1]); break;
      case JMP: pc = code[pc]; break;
      case JZ: pc = stack[--sp] == 0 ? code[pc] : pc + 1; break;
      case PRINT:
        rt_putd(stack[--sp]);
        rt_putc('\n');
        checksum = checksum * 31u + (uint32_t)stack[sp];
        break;
      case HALT: return;
      default:
        b = (uint32_t)stack[--sp];
        a = (uint32_t)stack[sp - 1];
        int32_t sa = (int32_t)a, sb = (int32_t)b, r;
        switch (op) {
          case ADD: r = (int32_t)(a + b); break;
          case SUB: r = (int32_t)(a - b); break;
          case MUL: r = (int32_t)(a * b); break;
          case DIV: r = sb == 0 ? 0 : (sb == -1 ? (int32_t)(0u - a) : sa / sb); break;
          case MOD: r = sb == 0 || sb == -1 ? 0 : sa % sb; break;
          case LT: r = sa < sb; break;
          case LE: r = sa <= sb; break;
          case GT: r = sa > sb; break;
          case GE: r = sa >= sb; break;
          case EQ: r = sa == sb; break;
          default: r = sa != sb; break;
        }
        stack[sp - 1] = r;
        break;
    }
  }
}

int main(void) {
  src = source;
  for (;;) {
    skip();
    if (*src == 0 || failed) break;
    statement();
  }
  emit(HALT);
  rt_puts("interp: ");
  rt_putu((uint32_t)ncode);
  rt_puts(" words of bytecode\n");
  if (failed) {
    rt_puts("interp: compile error\n");
    return 129;
  }
  run();
  rt_puts("interp: checksum=");
  rt_puthex(checksum);
  rt_putc('\n');
  return (int)(checksum & 127u);
}
