#pragma once
// A fleet's databases (docs/fleets.md): the `targets:` of migrator.yaml and the list `targets_from:` reads,
// each checked and expanded into a config of its own when it is selected.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "util/expected.hpp"

namespace migrator::config {

/// Whether `name` can name a target: not empty, no spaces, no control characters.
bool is_target_name(std::string_view name);

/// Parses a target list: per line `URL`, `NAME URL` or `NAME URL VERSION_TABLE_SCHEMA`; blank lines and
/// lines starting with '#' are skipped. A target without a name is named by its URL with the password
/// masked. Every failure starts with "<source_name>:<line>: " and never quotes the line (a password).
Expected<std::vector<TargetSpec>> parse_target_list(std::string_view text, std::string_view source_name);

/// The text `targets_from:` names: the file's content, or what the command printed on stdout.
using TargetSourceReader = std::function<Expected<std::string>(const TargetSource& source)>;

/// Reads the file, or runs the command with `/bin/sh -c` in the config file's directory; a missing file or
/// a command that fails is a failure naming it.
Expected<std::string> read_target_source(const TargetSource& source);

/// Every target: `targets:` in file order, then those `targets_from:` lists; a name given twice is a
/// failure naming both places.
Expected<std::vector<TargetSpec>> list_targets(const Config& config, const TargetSourceReader& read);

/// `base` for one target: its URL with ${VAR} expanded and checked, relative SQLite paths from the config
/// file's directory, and its version_table_schema if it has one. Failures start with the target's place
/// and name.
Expected<Config> config_for_target(const Config& base, const TargetSpec& target, const EnvLookup& env);

}  // namespace migrator::config
