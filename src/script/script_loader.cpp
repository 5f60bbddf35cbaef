#include "script/script_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "script/script_parser.hpp"
#include "util/error.hpp"
#include "util/failure_list.hpp"

namespace migrator::script {

using util::FailureList;

ScriptFiles::~ScriptFiles() = default;

std::vector<std::string> ScriptFiles::list_sql_paths(const std::filesystem::path& dir) const {
    std::vector<std::string> paths;
    for (const auto& file : list_sql_files(dir)) paths.push_back(file.string());
    return paths;
}

Expected<std::string> ScriptFiles::read_path(const std::string& file) const {
    return read(std::filesystem::path(file));
}

void ScriptFiles::read_each(
    const std::filesystem::path& /*dir*/, const std::vector<std::string>& paths,
    const std::function<void(std::size_t, const Expected<std::string_view>&)>& take) const {
    for (std::size_t i = 0; i < paths.size(); ++i) {
        const auto content = read_path(paths[i]);
        if (content) {
            take(i, std::string_view(*content));
        } else {
            take(i, content.error());
        }
    }
}

std::vector<std::optional<FileStamp>> ScriptFiles::stamps(const std::filesystem::path& /*dir*/,
                                                          const std::vector<std::string>& paths) const {
    return std::vector<std::optional<FileStamp>>(paths.size());
}

std::string ScriptFiles::read_header_cache(const std::filesystem::path& /*dir*/) const {
    return {};
}

void ScriptFiles::write_header_cache(const std::filesystem::path& /*dir*/, std::string_view /*text*/) const {}

ScriptSequence::~ScriptSequence() = default;

namespace {

// Reads each file when asked, through read_path.
class PathByPathSequence final : public ScriptSequence {
public:
    PathByPathSequence(const ScriptFiles& files, std::size_t count, PathOf path_of)
        : files_(files), count_(count), path_of_(std::move(path_of)) {}

    Expected<std::string> next() override {
        if (next_ >= count_) return fail("read past the end of a script sequence");
        return files_.read_path(path_of_(next_++));
    }

private:
    const ScriptFiles& files_;
    std::size_t count_;
    PathOf path_of_;
    std::size_t next_ = 0;
};

}  // namespace

std::unique_ptr<ScriptSequence> ScriptFiles::read_in_order(std::size_t count, PathOf path_of) const {
    return std::make_unique<PathByPathSequence>(*this, count, std::move(path_of));
}

namespace {

// The .sql files of one location; a listing error goes to `failures` and gives no files.
std::optional<std::vector<std::string>> list_location(const std::filesystem::path& location,
                                                      const ScriptFiles& files, FailureList& failures) {
    try {
        return files.list_sql_paths(location);
    } catch (const Error& e) {
        failures.add(e.what());
        return std::nullopt;
    }
}

// Reads and parses `paths` header-only and hands each script to `take` with its index; read and parse errors
// go to `failures`. The paths are moved into the scripts.
template <class Take>
void read_and_parse(const std::filesystem::path& location, const ScriptFiles& files,
                    std::vector<std::string>& paths, FailureList& failures, Take&& take) {
    files.read_each(location, paths, [&](std::size_t i, const Expected<std::string_view>& text) {
        if (!text) {
            failures.add(text.error().message);
            return;
        }
        // read_each is done with paths[i] once it hands over its content.
        auto script = parse_script(*text, std::move(paths[i]), SqlBodies::InFile);
        if (!script) {
            failures.add(script.error().message);
            return;
        }
        take(i, std::move(*script));
    });
}

}  // namespace

Expected<std::vector<Script>> load_scripts(const std::vector<std::filesystem::path>& version_locations,
                                           const ScriptFiles& files) {
    std::vector<Script> scripts;
    FailureList failures;
    for (const auto& location : version_locations) {
        auto paths = list_location(location, files, failures);
        if (!paths) continue;
        read_and_parse(location, files, *paths, failures,
                       [&](std::size_t /*index*/, Script&& script) { scripts.push_back(std::move(script)); });
    }
    if (!failures.empty()) return failures.summary();
    return scripts;
}

namespace {

std::string_view file_name(std::string_view path) {
    return path.substr(path.find_last_of('/') + 1);
}

// A parsed script's header as a view; `lists` holds the views of its lists.
ScriptHeader header_of(const Script& script, std::array<std::vector<std::string_view>, 3>& lists) {
    const std::array<const std::vector<std::string>*, 3> owned = {&script.down_revisions,
                                                                  &script.branch_labels, &script.depends_on};
    ScriptHeader header{script.revision, script.message, script.create_date, {}};
    for (std::size_t l = 0; l < lists.size(); ++l) {
        lists[l].assign(owned[l]->begin(), owned[l]->end());
        header.lists[l] = lists[l];
    }
    return header;
}

// One location's scripts into `catalog`, in file name order: the cached headers of unchanged files, the
// others read and parsed. The cache is written again when it no longer matches the files.
void load_location_catalog(const std::filesystem::path& location, const ScriptFiles& files,
                           ScriptCatalog& catalog, FailureList& failures) {
    auto listed = list_location(location, files, failures);
    if (!listed) return;
    const std::vector<std::string> paths = std::move(*listed);
    const auto stamps = files.stamps(location, paths);
    const bool any_stamp =
        std::any_of(stamps.begin(), stamps.end(), [](const auto& stamp) { return stamp.has_value(); });
    // An emptied location still reads its cache, so that the headers it kept are dropped.
    const bool keeps_cache = any_stamp || paths.empty();
    const HeaderCache cache =
        keeps_cache ? HeaderCache::parse(files.read_header_cache(location), MIGRATOR_VERSION) : HeaderCache{};

    std::vector<std::optional<ScriptHeader>> cached(paths.size());
    std::vector<std::size_t> missed;  // indexes into paths
    std::vector<std::string> missed_paths;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (stamps[i]) cached[i] = cache.find(file_name(paths[i]), *stamps[i]);
        if (!cached[i]) {
            missed.push_back(i);
            missed_paths.push_back(paths[i]);
        }
    }
    std::vector<std::optional<Script>> read(missed.size());
    read_and_parse(location, files, missed_paths, failures,
                   [&](std::size_t k, Script&& script) { read[k] = std::move(script); });

    // Rewritten when a file that can be kept was read, or a kept one is gone.
    const bool rewrite =
        keeps_cache && failures.empty() &&
        (cache.size() != paths.size() - missed.size() ||
         std::any_of(missed.begin(), missed.end(), [&](std::size_t i) { return stamps[i]; }));
    std::optional<HeaderCacheWriter> writer;
    if (rewrite) writer.emplace(MIGRATOR_VERSION);
    std::array<std::vector<std::string_view>, 3> lists;
    std::size_t next_missed = 0;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (cached[i]) {
            catalog.add(paths[i], *cached[i]);
            if (writer) writer->add(file_name(paths[i]), *stamps[i], *cached[i]);
            continue;
        }
        const auto& script = read[next_missed++];
        if (!script) continue;
        catalog.add(*script);
        if (writer && stamps[i]) writer->add(file_name(paths[i]), *stamps[i], header_of(*script, lists));
    }
    if (writer) files.write_header_cache(location, std::move(*writer).finish());
}

}  // namespace

Expected<ScriptCatalog> load_script_catalog(const std::vector<std::filesystem::path>& version_locations,
                                            const ScriptFiles& files) {
    ScriptCatalog catalog;
    FailureList failures;
    for (const auto& location : version_locations) load_location_catalog(location, files, catalog, failures);
    if (!failures.empty()) return failures.summary();
    return catalog;
}

Expected<Script> parse_sql_bodies(std::string_view text, std::string path, std::string_view revision) {
    auto full = parse_script(text, std::move(path), SqlBodies::InMemory);
    if (!full) return full.error();
    if (full->revision != revision) {
        return fail(fmt::format("{}: now declares revision {} instead of {}; run the command again",
                                full->path, full->revision, revision));
    }
    return full;
}

}  // namespace migrator::script
