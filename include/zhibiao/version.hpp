// zhibiao — library version. The number lives only in CMakeLists.txt's project(VERSION); CMake writes
// it into zhibiao/version.h in the build tree (and the install prefix).
#pragma once

#include <zhibiao/version.h>

namespace zhibiao {
/// The library version as text (major.minor.patch).
constexpr const char* version() noexcept { return ZHIBIAO_VERSION_STRING; }
}  // namespace zhibiao
