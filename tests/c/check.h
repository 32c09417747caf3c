/* The C tests' one assertion: counts passes and failures, and names the line and the library's last error. */
#ifndef ZHIBIAO_TESTS_C_CHECK_H
#define ZHIBIAO_TESTS_C_CHECK_H

#include <zhibiao/zhibiao.h>

#include <stdio.h>

static int passed = 0, failed = 0;

#define CHECK(cond)                                                                                          \
  do {                                                                                                       \
    if (cond) {                                                                                              \
      ++passed;                                                                                              \
    } else {                                                                                                 \
      ++failed;                                                                                              \
      fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: %s\n", __FILE__, __LINE__, #cond, zb_last_error()); \
    }                                                                                                        \
  } while (0)

#endif
