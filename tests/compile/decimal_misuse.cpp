// Compile-fail cases: binary floating point mixed into an exact decimal must not compile. CTest builds
// this file once per ZB_CASE and expects the compiler to name a deleted function; ZB_CASE 0 is the
// same code with exact operands and must compile, so a broken harness cannot pass for the wrong reason.
#include <zhibiao/decimal.hpp>

#ifndef ZB_CASE
#define ZB_CASE 0
#endif

zhibiao::decimal misuse(zhibiao::decimal d) {
#if ZB_CASE == 0
  d += zhibiao::decimal::parse("0.5");
  return d * 3 + zhibiao::decimal::from_int(2) - zhibiao::decimal::parse("0.1") + d.divided(4, 2);
#elif ZB_CASE == 1
  return d * 1.5;  // would multiply by 1 through the integer overload
#elif ZB_CASE == 2
  return d + 0.1;
#elif ZB_CASE == 3
  return 2.5 * d;
#elif ZB_CASE == 4
  return d - 0.1f;
#elif ZB_CASE == 5
  d += 0.5;
  return d;
#elif ZB_CASE == 6
  return d.divided(2.5, 1);
#elif ZB_CASE == 7
  return zhibiao::decimal::from_int(1.5);
#elif ZB_CASE == 8
  return d == 0.5 ? d : -d;
#elif ZB_CASE == 9
  return d < 0.5 ? d : -d;
#endif
}
