#pragma once
// Creating files that must not exist yet.

#include <filesystem>
#include <string_view>

namespace migrator::util {

/// Creates `path` and writes `text` to it. Throws Error naming the path if anything is already there,
/// including a symbolic link (dangling or not), which is never followed; or if writing fails, in which
/// case the partial file is removed.
void write_new_file(const std::filesystem::path& path, std::string_view text);

}  // namespace migrator::util
