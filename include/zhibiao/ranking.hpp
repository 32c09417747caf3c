// zhibiao — ranking among peers: "排名全省第三" computed from the data, never written by hand.
//
// Peers are the regions of one level under a common ancestor (江门市 among the cities of 广东省) in the
// tree of the period's last month. The key is the value, the 完成率 of the floor target, or the 同比
// change; the direction is declared; ties share a rank (1, 2, 2, 4) and a region without a key is unranked.
#pragma once

#include <zhibiao/model.hpp>
#include <zhibiao/targets.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao {

/// What peers are ranked by.
enum class rank_by : std::uint8_t {
  value,       ///< the indicator's value for the period
  completion,  ///< the 完成率 of the region's floor target, as of the period's last month
  change,      ///< 同比: the growth rate, or for a ratio the change in 个百分点
};

/// Which end ranks first.
enum class rank_order : std::uint8_t { higher_first, lower_first };

/// One region's place among its peers.
struct ranked_region {
  region_id region = npos;
  std::optional<boost::multiprecision::cpp_rational> key;  ///< what it is ranked by; empty: unranked
  int rank = 0;                                            ///< 1 = first; ties share a rank; 0: unranked
  bool partial = false;  ///< the key is built from partial reports (some leaves below did not report)
};

/// Sorts by key in `order` (code order within a tie, unranked last) and assigns competition ranks.
void competition_rank(const model& m, std::vector<ranked_region>& regions, rank_order order);

/// The regions of `r`'s level under its ancestor of level `within` (the top of its tree when empty), in
/// the tree of the period's last month, `r` included.
std::vector<region_id> peers_of(const model& m, region_id r, const period& p, std::optional<level> within = std::nullopt);

/// Ranks `regions` by `by` of `indicator` for the period.
std::vector<ranked_region> rank_regions(const model& m, const std::vector<target>& targets, const std::vector<region_id>& regions,
                                        const period& p, indicator_id indicator, rank_by by, rank_order order);

/// The rank of `r` among its peers (see peers_of), with how many were ranked; rank 0 when `r` has no key.
struct peer_standing {
  int rank = 0;    ///< 0: r is unranked
  int ranked = 0;  ///< peers with a key
  int peers = 0;   ///< peers in all
  int partial = 0; ///< ranked peers whose key is built from partial reports
};
/// Where `r` stands among the regions of its level under its `within` ancestor.
peer_standing standing(const model& m, const std::vector<target>& targets, region_id r, const period& p, indicator_id indicator,
                       rank_by by, rank_order order, std::optional<level> within = std::nullopt);

/// A rank in Chinese numerals as reports write it: 一, 十, 十一, 二十一 (1..99; larger as digits).
std::string rank_numeral_zh(int n);

}  // namespace zhibiao
