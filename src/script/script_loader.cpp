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
#include <optional>
#include <system_error>

#include "migrator/script/script_parser.hpp"
#include "migrator/util/error.hpp"
#include "migrator/util/strings.hpp"

namespace migrator::script {

namespace {

constexpr std::size_t max_reported_failures = 5;

// When a read loop stops: at a read() of 0 bytes, or already at one shorter than asked for.
enum class ReadEnd { AtZeroRead, AtShortRead };

// POSIX calls instead of std::filesystem: with 10,000 scripts, directory_iterator, path
// component splitting and stdio buffers cost more than parsing every script.
class DiskScriptFiles final : public ScriptFiles {
public:
    std::vector<std::filesystem::path> list_sql_files(const std::filesystem::path& dir) const override {
        const auto paths = list_sql_paths(dir);
        return {paths.begin(), paths.end()};
    }

    std::vector<std::string> list_sql_paths(const std::filesystem::path& dir) const override {
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
        // What `dir / name` would spell, without building a path object per file.
        std::string prefix = dir.native();
        if (!prefix.empty() && prefix.back() != '/') prefix += '/';
        std::vector<std::string> paths;
        for (;;) {
            errno = 0;
            const dirent* entry = readdir(stream.get());
            if (entry == nullptr) break;
            const std::string_view name = entry->d_name;
            if (name.empty() || name.front() == '.' || name.size() <= 4 || !name.ends_with(".sql")) continue;
            std::string path;
            path.reserve(prefix.size() + name.size());
            path.append(prefix).append(name);
            if (is_regular_file(path, *entry)) paths.push_back(std::move(path));
        }
        if (errno != 0) {
            throw Error(
                fmt::format("cannot list version directory '{}': {}", dir.string(), std::strerror(errno)));
        }
        // One directory, one prefix: ordering the paths orders the names.
        std::sort(paths.begin(), paths.end());
        return paths;
    }

    Expected<std::string> read(const std::filesystem::path& file) const override { return read_path(file); }

    Expected<std::string> read_path(const std::string& file) const override {
        std::string content;
        if (auto failure = read_file(AT_FDCWD, file.c_str(), file, content, ReadEnd::AtZeroRead))
            return *failure;
        return content;
    }

    // One directory descriptor and names relative to it: the kernel then walks one path component
    // per file instead of the whole absolute path (a tenth of the load time at 10,000 scripts).
    // A short read ends a file here (a regular file reads short only at its end), saving a syscall
    // per file; even a truncated read could only fail the header parse, never change a header,
    // because both section markers must follow the header, and the SQL is read again in full
    // (read_path) when it runs.
    void read_each(
        const std::filesystem::path& dir, const std::vector<std::string>& paths,
        const std::function<void(std::size_t, const Expected<std::string_view>&)>& take) const override {
        const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        std::string content;
        for (std::size_t i = 0; i < paths.size(); ++i) {
            const std::string& path = paths[i];
            const char* relative = path.c_str() + path.find_last_of('/') + 1;
            if (auto failure =
                    read_file(dir_fd >= 0 ? dir_fd : AT_FDCWD, dir_fd >= 0 ? relative : path.c_str(), path,
                              content, ReadEnd::AtShortRead)) {
                take(i, *failure);
            } else {
                take(i, std::string_view(content));
            }
        }
        if (dir_fd >= 0) close(dir_fd);
    }

private:
    // Reads `name` (relative to `dir_fd`) into `content`; failures name `path`.
    static std::optional<Failure> read_file(int dir_fd, const char* name, const std::string& path,
                                            std::string& content, ReadEnd end) {
        content.clear();
        const int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return fail(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
        char buffer[16 * 1024];
        for (;;) {
            const ssize_t count = ::read(fd, buffer, sizeof buffer);
            if (count == 0) break;
            if (count < 0) {
                if (errno == EINTR) continue;
                const int error = errno;
                close(fd);
                return fail(fmt::format("{}: cannot read: {}", path, std::strerror(error)));
            }
            content.append(buffer, static_cast<std::size_t>(count));
            if (end == ReadEnd::AtShortRead && static_cast<std::size_t>(count) < sizeof buffer) break;
        }
        close(fd);
        return std::nullopt;
    }

    // d_type answers without a stat call on the usual file systems; symbolic links are followed.
    static bool is_regular_file(const std::string& path, const dirent& entry) {
        if (entry.d_type == DT_REG) return true;
        if (entry.d_type != DT_UNKNOWN && entry.d_type != DT_LNK) return false;
        struct stat info {};
        return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
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

const ScriptFiles& disk_script_files() {
    static const DiskScriptFiles files;
    return files;
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

Expected<Script> load_sql_bodies(std::string path, std::string_view revision, const ScriptFiles& files) {
    auto text = files.read_path(path);
    if (!text) return text.error();
    auto full = parse_script(*text, std::move(path), SqlBodies::InMemory);
    if (!full) return full.error();
    if (full->revision != revision) {
        return fail(fmt::format("{}: now declares revision {} instead of {}; run the command again",
                                full->path, full->revision, revision));
    }
    return full;
}

}  // namespace migrator::script
