// zhibiao — library version.
#pragma once

#define ZHIBIAO_VERSION_MAJOR 0
#define ZHIBIAO_VERSION_MINOR 1
#define ZHIBIAO_VERSION_PATCH 0
#define ZHIBIAO_VERSION_STRING "0.1.0"

namespace zhibiao {
/// The library version as text, e.g. "0.1.0".
constexpr const char* version() noexcept { return ZHIBIAO_VERSION_STRING; }
}  // namespace zhibiao
