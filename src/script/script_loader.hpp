#pragma once
// Reads every script of the version locations; the file system sits behind ScriptFiles.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "script/header_cache.hpp"
#include "script/script.hpp"
#include "script/script_catalog.hpp"
#include "util/expected.hpp"

namespace migrator::script {

/// Files read one at a time in an order known in advance, such as a plan's scripts.
class ScriptSequence {
public:
    virtual ~ScriptSequence();

    /// The next file's whole content, or a failure naming it.
    virtual Expected<std::string> next() = 0;
};

/// Names the i-th file of a ScriptSequence.
using PathOf = std::function<std::string(std::size_t)>;

/// The file access load_scripts needs, so that tests can fake it.
class ScriptFiles {
public:
    virtual ~ScriptFiles();

    /// The *.sql files directly in `dir`, sorted by name; throws Error naming `dir` if it cannot be listed.
    virtual std::vector<std::filesystem::path> list_sql_files(const std::filesystem::path& dir) const = 0;
    /// The whole content of a file, or a failure naming it.
    virtual Expected<std::string> read(const std::filesystem::path& file) const = 0;
    /// list_sql_files as plain strings; the default converts list_sql_files' answer.
    virtual std::vector<std::string> list_sql_paths(const std::filesystem::path& dir) const;
    /// read() for a path in string form; the default converts it to a path.
    virtual Expected<std::string> read_path(const std::string& file) const;
    /// Hands each of `paths` (list_sql_paths(dir)'s answer) to `take` with its content, in order; the
    /// content view is valid during the call only. The default calls read_path for each.
    virtual void read_each(
        const std::filesystem::path& dir, const std::vector<std::string>& paths,
        const std::function<void(std::size_t, const Expected<std::string_view>&)>& take) const;
    /// Each of `paths`' stamp (list_sql_paths(dir)'s answer), or nullopt for a file whose header must
    /// not be kept: one changed too recently to tell a later change in the same clock tick, or one that
    /// cannot be stat'ed. The default gives nullopt for all: no header cache.
    virtual std::vector<std::optional<FileStamp>> stamps(const std::filesystem::path& dir,
                                                         const std::vector<std::string>& paths) const;
    /// The header cache kept for `dir`, or "" when there is none. The default has none.
    virtual std::string read_header_cache(const std::filesystem::path& dir) const;
    /// Keeps `text` as `dir`'s header cache, or nothing when that fails (a read-only checkout works
    /// the same, only slower). The default keeps nothing.
    virtual void write_header_cache(const std::filesystem::path& dir, std::string_view text) const;
    /// The `count` files path_of(0), path_of(1), ... in that order; the disk's sequence asks for the
    /// later files ahead when they are not cached. The default calls read_path at each next().
    virtual std::unique_ptr<ScriptSequence> read_in_order(std::size_t count, PathOf path_of) const;
};

/// Whether the loader reads a file of this name: "NAME.sql", not hidden (a leading '.' marks editor
/// lock files). `revision` refuses to write a file it would not read back. Inline: called per entry.
inline bool is_script_file_name(std::string_view name) {
    return name.size() > 4 && name.front() != '.' && name.ends_with(".sql");
}

/// The real file system. Hidden files (".name.sql", editor lock files) are not listed. Each version
/// location keeps a header cache in `.migrator_cache/` (it ignores itself for git); a file changed
/// less than 2 seconds ago is read every time, and MIGRATOR_NO_SCRIPT_CACHE=1 turns the cache off.
const ScriptFiles& disk_script_files();

/// disk_script_files() where a file changed less than `settle_time` ago is read every time: a file
/// changed within one timestamp tick after its header was kept would look unchanged. For tests.
std::unique_ptr<ScriptFiles> make_disk_script_files(std::chrono::nanoseconds settle_time);

/// Parses every script in every location, in location order and then file name order. All broken
/// files are reported in one failure joined by "; " (the first 5, then "and N more"). The graph
/// itself (duplicates, missing parents, cycles) is not checked here. The scripts come with
/// SqlBodies::InFile: their sections are checked but their text stays in the files.
Expected<std::vector<Script>> load_scripts(const std::vector<std::filesystem::path>& version_locations,
                                           const ScriptFiles& files);

/// load_scripts keeping only the headers, compactly, for RevisionMap::build: what every command loads.
/// Headers of files unchanged since an earlier load come from the location's header cache, when
/// `files` keeps one; the cache is rewritten when a file was added, changed or removed.
Expected<ScriptCatalog> load_script_catalog(const std::vector<std::filesystem::path>& version_locations,
                                            const ScriptFiles& files);

/// The script at `path` with both sections' text, from `text`: the file's content read again when its
/// migration runs. A failure names the file, also when the file no longer declares `revision`.
Expected<Script> parse_sql_bodies(std::string_view text, std::string path, std::string_view revision);

}  // namespace migrator::script
