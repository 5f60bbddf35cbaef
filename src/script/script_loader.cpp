#include "migrator/script/script_loader.hpp"

#include <fmt/format.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

#include "migrator/script/script_parser.hpp"
#include "migrator/util/error.hpp"
#include "migrator/util/strings.hpp"

namespace migrator::script {

namespace {

constexpr std::size_t max_reported_failures = 5;

// POSIX calls instead of std::filesystem: with 10,000 scripts, directory_iterator, path
// component splitting and stdio buffers cost more than parsing every script.
class DiskScriptFiles final : public ScriptFiles {
public:
    std::vector<std::filesystem::path> list_sql_files(const std::filesystem::path& dir) const override {
        const std::unique_ptr<DIR, int (*)(DIR*)> stream(opendir(dir.c_str()), &closedir);
        if (!stream) {
            const int error = errno;
            std::error_code ec;
            if (error == ENOENT || error == ENOTDIR) {
                const bool exists = std::filesystem::exists(dir, ec);
                throw Error(fmt::format("version directory '{}' {}", dir.string(),
                                        exists ? "is not a directory" : "does not exist"));
            }
            throw Error(
                fmt::format("cannot list version directory '{}': {}", dir.string(), std::strerror(error)));
        }
        std::vector<std::string> names;
        for (;;) {
            errno = 0;
            const dirent* entry = readdir(stream.get());
            if (entry == nullptr) break;
            const std::string_view name = entry->d_name;
            if (name.empty() || name.front() == '.' || name.size() <= 4 || !name.ends_with(".sql")) continue;
            if (is_regular_file(dir, *entry)) names.emplace_back(name);
        }
        if (errno != 0) {
            throw Error(
                fmt::format("cannot list version directory '{}': {}", dir.string(), std::strerror(errno)));
        }
        std::sort(names.begin(), names.end());
        std::vector<std::filesystem::path> files;
        files.reserve(names.size());
        for (const auto& name : names) files.push_back(dir / name);
        return files;
    }

    Expected<std::string> read(const std::filesystem::path& file) const override {
        const int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return fail(fmt::format("{}: cannot open: {}", file.string(), std::strerror(errno)));
        std::string content;
        char buffer[64 * 1024];
        for (;;) {
            const ssize_t count = ::read(fd, buffer, sizeof buffer);
            if (count == 0) break;
            if (count < 0) {
                if (errno == EINTR) continue;
                const int error = errno;
                close(fd);
                return fail(fmt::format("{}: cannot read: {}", file.string(), std::strerror(error)));
            }
            content.append(buffer, static_cast<std::size_t>(count));
        }
        close(fd);
        return content;
    }

private:
    // d_type answers without a stat call on the usual file systems; symbolic links are followed.
    static bool is_regular_file(const std::filesystem::path& dir, const dirent& entry) {
        if (entry.d_type == DT_REG) return true;
        if (entry.d_type != DT_UNKNOWN && entry.d_type != DT_LNK) return false;
        struct stat info {};
        return stat((dir / entry.d_name).c_str(), &info) == 0 && S_ISREG(info.st_mode);
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
