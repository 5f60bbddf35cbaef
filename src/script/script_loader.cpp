#include "migrator/script/script_loader.hpp"

#include <fmt/format.h>

#include "migrator/script/script_parser.hpp"
#include "migrator/util/error.hpp"
#include "migrator/util/failure_list.hpp"

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

// Parses every script header-only and hands it to `take`; returns the failures.
template <class Take>
FailureList load_each(const std::vector<std::filesystem::path>& version_locations, const ScriptFiles& files,
                      Take&& take) {
    FailureList failures;
    for (const auto& location : version_locations) {
        std::vector<std::string> paths;
        try {
            paths = files.list_sql_paths(location);
        } catch (const Error& e) {
            failures.add(e.what());
            continue;
        }
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
            take(*script);
        });
    }
    return failures;
}

}  // namespace

Expected<std::vector<Script>> load_scripts(const std::vector<std::filesystem::path>& version_locations,
                                           const ScriptFiles& files) {
    std::vector<Script> scripts;
    const auto failures =
        load_each(version_locations, files, [&](Script& script) { scripts.push_back(std::move(script)); });
    if (!failures.empty()) return failures.summary();
    return scripts;
}

Expected<ScriptCatalog> load_script_catalog(const std::vector<std::filesystem::path>& version_locations,
                                            const ScriptFiles& files) {
    ScriptCatalog catalog;
    const auto failures =
        load_each(version_locations, files, [&](const Script& script) { catalog.add(script); });
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
