// The zhibiao command's shared parts: arguments, progress on a terminal, loading a model from file
// options or a model folder. The commands only translate; every rule is in the library.
#pragma once

#include <zhibiao/model.hpp>

#include <fmt/format.h>

#include <chrono>
#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace zhibiao::cli {

/// A usage mistake: printed with a pointer to the command's --help, exit 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The parsed command line: options by name (repeatable) and positional arguments.
struct args {
  std::map<std::string, std::vector<std::string>> opts;
  std::vector<std::string> positional;
  /// True when option `k` was given.
  bool has(const std::string& k) const { return opts.count(k) > 0; }
  /// The last value of option `k`, or `def`.
  std::string get(const std::string& k, const std::string& def = {}) const {
    auto it = opts.find(k);
    return it == opts.end() ? def : it->second.back();
  }
  /// The last value of option `k`; a usage error when it was not given.
  std::string need(const std::string& k) const {
    if (!has(k)) throw usage_error("missing --" + k);
    return get(k);
  }
};

/// Progress messages on stderr, only when it is a terminal and --quiet is not given.
struct progress {
  bool on;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  /// Off when `quiet` or stderr is not a terminal.
  explicit progress(bool quiet) : on(!quiet && isatty(2)) {}
  /// Shows what is being done now, over the previous step.
  void step(const std::string& what) {
    if (on) fmt::print(stderr, "\r\x1b[K{} …", what);
  }
  /// Clears the line and says how long loading took.
  void done() {
    if (on)
      fmt::print(stderr, "\r\x1b[Kloaded in {:.2f} s\n",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
};

/// Parses argv[from..]; options outside `known` (and the workbook options, when `observations` is known)
/// are usage errors. With --model DIR, every known file option not given is taken from the folder.
args parse_args(int argc, char** argv, int from, std::initializer_list<std::string_view> known);

/// Takes every file option in `known` that was not given from the model folder of --model.
void use_model_folder(args& a, std::initializer_list<std::string_view> known);

/// Loads regions, indicators, scopes, observations and revisions as the options say, without rolling up.
model load_inputs(args& a, progress& pr);

/// Loads as the options say and rolls up.
model load_model(args& a);

/// Writes `text` to `path`; an errc::io error when it cannot.
void write_file(const std::string& path, const std::string& text);

/// The `zhibiao run DIR --period P` command: the month's work on a model folder.
int cmd_run(int argc, char** argv);

}  // namespace zhibiao::cli
