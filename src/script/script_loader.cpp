#include "migrator/script/script_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

#include "migrator/script/script_parser.hpp"
#include "migrator/util/error.hpp"
#include "migrator/util/strings.hpp"

namespace migrator::script {

namespace {

constexpr std::size_t max_reported_failures = 5;

class DiskScriptFiles final : public ScriptFiles {
public:
    std::vector<std::filesystem::path> list_sql_files(const std::filesystem::path& dir) const override {
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec)) {
            const bool exists = std::filesystem::exists(dir, ec);
            throw Error(fmt::format("version directory '{}' {}", dir.string(),
                                    exists ? "is not a directory" : "does not exist"));
        }
        std::vector<std::filesystem::path> files;
        std::filesystem::directory_iterator it(dir, ec);
        for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
            const auto& path = it->path();
            const std::string name = path.filename().string();
            if (name.empty() || name.front() == '.' || path.extension() != ".sql") continue;
            std::error_code type_ec;
            if (!it->is_regular_file(type_ec)) continue;
            files.push_back(path);
        }
        if (ec)
            throw Error(fmt::format("cannot list version directory '{}': {}", dir.string(), ec.message()));
        // Every entry shares `dir`, so the full strings sort as the file names do, without a
        // filename() allocation per comparison.
        std::sort(files.begin(), files.end(),
                  [](const auto& a, const auto& b) { return a.native() < b.native(); });
        return files;
    }

    Expected<std::string> read(const std::filesystem::path& file) const override {
        const std::unique_ptr<std::FILE, int (*)(std::FILE*)> stream(std::fopen(file.c_str(), "rb"),
                                                                     &std::fclose);
        if (!stream) return fail(fmt::format("{}: cannot open: {}", file.string(), std::strerror(errno)));
        std::string content;
        char buffer[64 * 1024];
        std::size_t count = 0;
        while ((count = std::fread(buffer, 1, sizeof buffer, stream.get())) > 0)
            content.append(buffer, count);
        if (std::ferror(stream.get()) != 0) {
            return fail(fmt::format("{}: cannot read: {}", file.string(), std::strerror(errno)));
        }
        return content;
    }
};

// Every broken file is collected so that one run shows them all.
class FailureList {
public:
    void add(std::string message) {
        if (messages_.size() < max_reported_failures) {
            messages_.push_back(std::move(message));
        } else {
            ++not_shown_;
        }
    }

    [[nodiscard]] bool empty() const { return messages_.empty(); }

    [[nodiscard]] Failure summary() const {
        std::string text = util::join(messages_, "; ");
        if (not_shown_ > 0) text += fmt::format("; and {} more", not_shown_);
        return fail(std::move(text));
    }

private:
    std::vector<std::string> messages_;
    std::size_t not_shown_ = 0;
};

}  // namespace

ScriptFiles::~ScriptFiles() = default;

const ScriptFiles& disk_script_files() {
    static const DiskScriptFiles files;
    return files;
}

Expected<std::vector<Script>> load_scripts(const std::vector<std::filesystem::path>& version_locations,
                                           const ScriptFiles& files) {
    std::vector<Script> scripts;
    FailureList failures;
    for (const auto& location : version_locations) {
        std::vector<std::filesystem::path> paths;
        try {
            paths = files.list_sql_files(location);
        } catch (const Error& e) {
            failures.add(e.what());
            continue;
        }
        scripts.reserve(scripts.size() + paths.size());
        for (const auto& path : paths) {
            auto text = files.read(path);
            if (!text) {
                failures.add(text.error().message);
                continue;
            }
            auto script = parse_script(*text, path);
            if (!script) {
                failures.add(script.error().message);
                continue;
            }
            scripts.push_back(std::move(*script));
        }
    }
    if (!failures.empty()) return failures.summary();
    return scripts;
}

}  // namespace migrator::script
