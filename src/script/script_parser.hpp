#pragma once
// Reads the text of one migration script; the format is described in docs/script-format.md.

#include <filesystem>
#include <string>
#include <string_view>

#include "script/script.hpp"
#include "util/expected.hpp"

namespace migrator::script {

/// Parses a script's text. `path` only goes into Script::path and into failures, which read
/// "path:line: what is wrong".
Expected<Script> parse_script(std::string_view text, const std::filesystem::path& path);

/// The same for a path already in string form; SqlBodies::InFile checks the sections as usual but
/// leaves their `sql` empty and marks the script so.
Expected<Script> parse_script(std::string_view text, std::string path, SqlBodies bodies);

}  // namespace migrator::script
