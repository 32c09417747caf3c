// Helpers shared by the loader tests.
#pragma once

#include <doctest/doctest.h>

#include <zhibiao/error.hpp>

#include <stdexcept>
#include <string>

namespace zhibiao_test {

// The load_error `f` throws; fails the test when it throws nothing.
template <class F>
zhibiao::load_error load_failure(F&& f) {
  try {
    f();
  } catch (const zhibiao::load_error& e) {
    return e;
  }
  FAIL("expected a zhibiao::load_error");
  throw std::logic_error("unreachable");
}

}  // namespace zhibiao_test

// An error of class load at `line` and (1-based CSV field) `column` whose reason contains `fragment`.
#define CHECK_LOAD_AT(e, line_, column_, fragment_)                      \
  do {                                                                   \
    INFO("error: " << std::string((e).what()));                          \
    CHECK((e).code() == zhibiao::errc::load);                            \
    CHECK((e).where().line == static_cast<std::size_t>(line_));          \
    CHECK((e).where().column == static_cast<std::size_t>(column_));      \
    CHECK((e).reason().find(fragment_) != std::string::npos);            \
  } while (0)
