#pragma once
// Reads every script of the version locations; the file system sits behind ScriptFiles.

#include <filesystem>
#include <string>
#include <vector>

#include "migrator/script/script.hpp"
#include "migrator/util/expected.hpp"

namespace migrator::script {

/// The file access load_scripts needs, so that tests can fake it.
class ScriptFiles {
public:
    virtual ~ScriptFiles();

    /// The *.sql files directly in `dir`, sorted by name; throws Error naming `dir` if it cannot be listed.
    virtual std::vector<std::filesystem::path> list_sql_files(const std::filesystem::path& dir) const = 0;
    /// The whole content of a file, or a failure naming it.
    virtual Expected<std::string> read(const std::filesystem::path& file) const = 0;
};

/// The real file system. Hidden files (".name.sql", editor lock files) are not listed.
const ScriptFiles& disk_script_files();

/// Parses every script in every location, in location order and then file name order. All broken
/// files are reported in one failure joined by "; " (the first 5, then "and N more"). The graph
/// itself (duplicates, missing parents, cycles) is not checked here.
Expected<std::vector<Script>> load_scripts(const std::vector<std::filesystem::path>& version_locations,
                                           const ScriptFiles& files);

}  // namespace migrator::script
