#pragma once
// Scripts held in memory, such as those compiled into a program (cmake/MigratorEmbed.cmake), behind the
// same ScriptFiles seam as the disk: the revision map, planner and runtime do not know the difference.

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "script/script_loader.hpp"

namespace migrator::script {

/// Files by path; a directory is every path whose parent it is. The texts are viewed, not copied.
class MemoryScriptFiles final : public ScriptFiles {
public:
    /// Adds `text` as the file at `path` (lexically normalised), replacing one added before.
    void add(const std::filesystem::path& path, std::string_view text);
    /// Makes `dir` exist even without files in it.
    void add_directory(const std::filesystem::path& dir);

    /// The *.sql files whose parent is `dir`, sorted by name; throws Error when `dir` was never added
    /// and no file lies in it ("version directory 'x' does not exist", as on disk).
    std::vector<std::filesystem::path> list_sql_files(const std::filesystem::path& dir) const override;
    /// The file's text, or "<path>: cannot open: no such script" for a path that was never added.
    Expected<std::string> read(const std::filesystem::path& file) const override;

private:
    std::map<std::string, std::string_view> files_;  // sorted: a directory's files are listed by name
    std::set<std::string> directories_;
};

}  // namespace migrator::script
