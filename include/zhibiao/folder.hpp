// zhibiao — a model folder: the bureau's files for one model, found by name, so that no command needs
// a list of file options.
//
//   regions.csv, indicators.csv            required
//   scopes.csv, targets.csv, rules.txt     optional
//   mapping.csv                            optional: MAP.csv (column,indicator) for every workbook and wide table
//   report.tmpl, or reports/*.tmpl         optional: the report templates
//   observations*.csv, data/*.csv|*.xlsx   the data, loaded in name order (top level first, then data/)
#pragma once

#include <zhibiao/model.hpp>

#include <optional>

#include <string>
#include <vector>

namespace zhibiao {

/// The files of a model folder; an absent optional file is an empty string.
struct model_folder {
  std::string dir;
  std::string regions, indicators;           ///< required
  std::string scopes, targets, rules;        ///< optional
  std::string mapping;                       ///< optional MAP.csv for the workbooks and wide tables under data/
  std::vector<std::string> templates;        ///< report.tmpl, else reports/*.tmpl in name order
  std::vector<std::string> data;             ///< observations*.csv, then data/*.csv and data/*.xlsx, in name order
};

/// Finds the files of the model folder `dir`; a missing folder or required file is errc::io naming it.
model_folder find_model_folder(const std::string& dir);

/// The region a model is about in the tree of the period's last month (the latest tree without one): from
/// the single root down while a region has one child (汕尾市 → 海丰县); npos when there are several roots.
region_id folder_region(const model& m, const std::optional<period>& p = std::nullopt);

}  // namespace zhibiao
