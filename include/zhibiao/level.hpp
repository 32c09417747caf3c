// zhibiao — administrative levels: where a region sits in the hierarchy, and the level whose regions
// report an indicator (indicators.csv `reported_at`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace zhibiao {

/// Administrative levels, top to bottom; a child's level is always below its parent's.
enum class level : std::uint8_t { nation, province, city, county, town, village };

/// Number of levels (the size of per-level tables).
inline constexpr std::size_t level_count = 6;

/// Name of a level as written in regions.csv.
constexpr std::string_view level_name(level l) noexcept {
  switch (l) {
    case level::nation: return "nation";
    case level::province: return "province";
    case level::city: return "city";
    case level::county: return "county";
    case level::town: return "town";
    case level::village: return "village";
  }
  return "unknown";
}

/// Parses a level name; nullopt when unknown.
std::optional<level> parse_level(std::string_view s) noexcept;

}  // namespace zhibiao
