// The real file system behind ScriptFiles: POSIX calls, and read-ahead when the scripts are not cached.

#include <fmt/format.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <string_view>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

#include "script/script_loader.hpp"
#include "util/error.hpp"

namespace migrator::script {

namespace {

constexpr std::size_t read_buffer_size = std::size_t{16} * 1024;
// Below this many files per thread, starting a thread costs more than the stat calls it takes over.
constexpr std::size_t stamps_per_thread_minimum = 512;
// Enough requests in flight to keep a disk busy; each holds one descriptor.
constexpr std::size_t files_read_ahead = 64;
// A read that must not wait stops at the first page not in the cache, so only a count that is a
// multiple of this can be such a stop rather than the end of the file.
constexpr std::size_t page_multiple = 4096;

// When a read loop stops: at a read() of 0 bytes, or already at one shorter than asked for.
enum class ReadEnd { AtZeroRead, AtShortRead };

// Whether a file's first read may wait for the disk, or must fail instead (RWF_NOWAIT).
enum class FirstRead { MayWait, MustNotWait };

// How a read with FirstRead::MustNotWait went; in the last two cases nothing was read.
enum class ReadOutcome { Complete, WouldWait, CannotTell };

// A descriptor for one file, or -1 and the errno of its failed open.
struct OpenFile {
    int fd = -1;
    int error = 0;
};

OpenFile open_file(int dir_fd, const char* name) {
    const int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
    return {fd, fd < 0 ? errno : 0};
}

Failure cannot_open(const std::string& path, int error) {
    return fail(fmt::format("{}: cannot open: {}", path, std::strerror(error)));
}

// Appends what is left of `fd` to `content`; failures name `path`.
Expected<ReadOutcome> read_rest(int fd, const std::string& path, std::string& content, ReadEnd end,
                                FirstRead first) {
    // Not zeroed: it is written before it is read, and zeroing it cost every file 16 KiB of stores.
    std::array<char, read_buffer_size> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init)
    bool must_not_wait = first == FirstRead::MustNotWait;
    for (;;) {
        ssize_t count = 0;
        if (must_not_wait) {
            iovec vector{buffer.data(), buffer.size()};
            count = preadv2(fd, &vector, 1, -1, RWF_NOWAIT);
            if (count < 0 && errno == EAGAIN) return ReadOutcome::WouldWait;
            if (count < 0 && (errno == EOPNOTSUPP || errno == EINVAL || errno == ENOSYS))
                return ReadOutcome::CannotTell;
        } else {
            count = ::read(fd, buffer.data(), buffer.size());
        }
        if (count == 0) break;
        if (count < 0) {
            if (errno == EINTR) continue;
            return fail(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
        }
        const auto size = static_cast<std::size_t>(count);
        content.append(buffer.data(), size);
        const bool may_be_cache_stop = must_not_wait && size % page_multiple == 0;
        must_not_wait = false;
        if (end == ReadEnd::AtShortRead && size < buffer.size() && !may_be_cache_stop) break;
    }
    return ReadOutcome::Complete;
}

// Reads all of `fd` into `content`: at the size fstat gives, in one read when the file stays as it was
// (appending 16 KiB at a time to a growing string copied a large file several times over), then whatever
// a file that grew meanwhile still holds.
Expected<ReadOutcome> read_whole(int fd, const std::string& path, std::string& content) {
    struct stat info {};
    if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
        content.resize(static_cast<std::size_t>(info.st_size));
        std::size_t filled = 0;
        while (filled < content.size()) {
            const ssize_t count = ::read(fd, content.data() + filled, content.size() - filled);
            if (count < 0 && errno == EINTR) continue;
            if (count < 0) return fail(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
            if (count == 0) break;
            filled += static_cast<std::size_t>(count);
        }
        content.resize(filled);
        if (filled < static_cast<std::size_t>(info.st_size)) return ReadOutcome::Complete;  // it shrank
    }
    return read_rest(fd, path, content, ReadEnd::AtZeroRead, FirstRead::MayWait);
}

// Opens a list of files in order. A file not in the page cache costs a synchronous disk read, one
// after the other (bench/performance-notes.md, the third round). Once told so, the opener keeps the next
// files open with their pages asked for (POSIX_FADV_WILLNEED), and the disk reads them side by side.
// `PathSource` gives the i-th file's path as a string or a reference to one.
template <class PathSource>
class FileOpener {
public:
    // With a directory, the paths are all in it and are opened relative to it.
    FileOpener(std::size_t count, PathSource path_of, const std::filesystem::path* dir = nullptr)
        : dir_fd_(dir != nullptr ? open(dir->c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1),
          count_(count),
          path_of_(std::move(path_of)) {}
    ~FileOpener() {
        for (std::size_t i = taken_; i < opened_; ++i) {
            if (ring_[i % files_read_ahead].fd >= 0) close(ring_[i % files_read_ahead].fd);
        }
        if (dir_fd_ >= 0) close(dir_fd_);
    }
    FileOpener(const FileOpener&) = delete;
    FileOpener& operator=(const FileOpener&) = delete;
    FileOpener(FileOpener&&) = delete;
    FileOpener& operator=(FileOpener&&) = delete;

    // The next file, the first one first; the caller closes it.
    OpenFile next() {
        const std::size_t i = taken_++;
        const OpenFile file = i < opened_ ? ring_[i % files_read_ahead] : open_now(i);
        opened_ = std::max(opened_, taken_);
        if (reading_ahead_) fill();
        return file;
    }

    // From now on, the files after the last one taken are opened and asked for ahead of time.
    void read_ahead() {
        reading_ahead_ = true;
        fill();
    }

private:
    OpenFile open_now(std::size_t i) const {
        const std::string& path = path_of_(i);
        // One directory descriptor and names relative to it: the kernel then walks one path component
        // per file instead of the whole absolute path (a tenth of the load time at 10,000 scripts).
        if (dir_fd_ >= 0) return open_file(dir_fd_, path.c_str() + path.find_last_of('/') + 1);
        return open_file(AT_FDCWD, path.c_str());
    }

    void fill() {
        while (opened_ < count_ && opened_ < taken_ + files_read_ahead) {
            const OpenFile file = open_now(opened_);
            if (file.fd >= 0) posix_fadvise(file.fd, 0, 0, POSIX_FADV_WILLNEED);
            ring_[opened_ % files_read_ahead] = file;
            ++opened_;
        }
    }

    int dir_fd_;  // -1 without a directory, or when it cannot be opened: then the paths are opened whole
    std::size_t count_;
    PathSource path_of_;
    std::array<OpenFile, files_read_ahead> ring_{};
    std::size_t taken_ = 0;   // files handed out by next()
    std::size_t opened_ = 0;  // files opened; those from taken_ on wait in ring_
    bool reading_ahead_ = false;
};

// Reads the next file of `opener` into `content`, in full, or up to its first short read. Each first
// read must not wait for the disk (`first`) until one would: from then on `first` lets it wait, and
// the opener reads ahead.
template <class Opener>
Expected<ReadOutcome> read_next(Opener& opener, const std::string& path, std::string& content, ReadEnd end,
                                FirstRead& first) {
    content.clear();
    const OpenFile file = opener.next();
    if (file.fd < 0) return cannot_open(path, file.error);
    auto outcome = read_rest(file.fd, path, content, end, first);
    if (outcome && *outcome != ReadOutcome::Complete) {
        if (*outcome == ReadOutcome::WouldWait) opener.read_ahead();
        first = FirstRead::MayWait;
        outcome = read_rest(file.fd, path, content, end, first);
    }
    close(file.fd);
    return outcome;
}

// A plan's scripts, in the order the plan runs them: a file's SQL is read when its migration runs,
// and a long run outlives the page cache's memory of the load.
class DiskScriptSequence final : public ScriptSequence {
public:
    DiskScriptSequence(std::size_t count, PathOf path_of)
        : count_(count), path_of_(std::move(path_of)), opener_(count, std::cref(path_of_)) {}

    Expected<std::string> next() override {
        if (next_ >= count_) return fail("read past the end of a script sequence");
        const std::string path = path_of_(next_++);
        std::string content;
        const auto outcome = read_next(opener_, path, content, ReadEnd::AtZeroRead, first_);
        if (!outcome) return outcome.error();
        return content;
    }

private:
    std::size_t count_;
    PathOf path_of_;
    FileOpener<std::reference_wrapper<const PathOf>> opener_;  // names files through path_of_
    std::size_t next_ = 0;
    FirstRead first_ = FirstRead::MustNotWait;
};

// A directory's file names, sorted as std::sort sorts strings (byte by byte, unsigned). Sorting
// 100,000 separately allocated paths chased a pointer per comparison, and reading them in sorted order
// chased one more per file: at 100k, the cache misses made the load grow faster than the count. Here
// the names sit in one buffer, each comparison first looks at an integer made of the first 8 bytes,
// and the paths are built in sorted order, so that they lie in memory in the order they are read.
class SortedNames {
public:
    void add(std::string_view name) {
        std::uint64_t key = 0;
        for (std::size_t i = 0; i < sizeof key; ++i) {
            const auto byte = i < name.size() ? static_cast<unsigned char>(name[i]) : 0U;
            key = (key << 8U) | byte;
        }
        entries_.push_back({key, text_.size(), name.size()});
        text_.append(name);
    }

    std::vector<std::string> sorted_paths(const std::string& prefix) {
        // No name holds a NUL byte, so padding short keys with zeros puts a name before every longer
        // name it begins, as string comparison does.
        std::sort(entries_.begin(), entries_.end(), [this](const Entry& a, const Entry& b) {
            if (a.key != b.key) return a.key < b.key;
            return name(a) < name(b);
        });
        std::vector<std::string> paths;
        paths.reserve(entries_.size());
        for (const auto& entry : entries_) {
            auto& path = paths.emplace_back();
            path.reserve(prefix.size() + entry.length);
            path.append(prefix).append(name(entry));
        }
        return paths;
    }

private:
    struct Entry {
        std::uint64_t key;  // the name's first 8 bytes, big-endian: integer order is byte order
        std::size_t offset;
        std::size_t length;
    };

    [[nodiscard]] std::string_view name(const Entry& entry) const {
        return std::string_view(text_).substr(entry.offset, entry.length);
    }

    std::string text_;
    std::vector<Entry> entries_;
};

// POSIX calls instead of std::filesystem: with 10,000 scripts, directory_iterator, path
// component splitting and stdio buffers cost more than parsing every script.
class DiskScriptFiles final : public ScriptFiles {
public:
    explicit DiskScriptFiles(std::chrono::nanoseconds settle_time) : settle_time_ns_(settle_time.count()) {}

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
        SortedNames names;
        std::string path;
        for (;;) {
            errno = 0;
            const dirent* entry = readdir(stream.get());
            if (entry == nullptr) break;
            const std::string_view name = entry->d_name;
            if (!is_script_file_name(name)) continue;
            if (!is_regular_file(prefix, name, *entry, path)) continue;
            names.add(name);
        }
        if (errno != 0) {
            throw Error(
                fmt::format("cannot list version directory '{}': {}", dir.string(), std::strerror(errno)));
        }
        // One directory, one prefix: ordering the names orders the paths.
        return names.sorted_paths(prefix);
    }

    Expected<std::string> read(const std::filesystem::path& file) const override { return read_path(file); }

    Expected<std::string> read_path(const std::string& file) const override {
        const OpenFile opened = open_file(AT_FDCWD, file.c_str());
        if (opened.fd < 0) return cannot_open(file, opened.error);
        std::string content;
        const auto outcome = read_whole(opened.fd, file, content);
        close(opened.fd);
        if (!outcome) return outcome.error();
        return content;
    }

    // A short read ends a file here (a regular file reads short only at its end), saving a syscall
    // per file; even a truncated read could only fail the header parse, never change a header,
    // because both section markers must follow the header, and the SQL is read again in full
    // (read_in_order) when it runs.
    void read_each(
        const std::filesystem::path& dir, const std::vector<std::string>& paths,
        const std::function<void(std::size_t, const Expected<std::string_view>&)>& take) const override {
        const auto path_of = [&paths](std::size_t i) -> const std::string& { return paths[i]; };
        FileOpener<std::remove_const_t<decltype(path_of)>> opener(paths.size(), path_of, &dir);
        FirstRead first = FirstRead::MustNotWait;
        std::string content;
        for (std::size_t i = 0; i < paths.size(); ++i) {
            const auto outcome = read_next(opener, paths[i], content, ReadEnd::AtShortRead, first);
            if (outcome) {
                take(i, std::string_view(content));
            } else {
                take(i, outcome.error());
            }
        }
    }

    std::unique_ptr<ScriptSequence> read_in_order(std::size_t count, PathOf path_of) const override {
        return std::make_unique<DiskScriptSequence>(count, std::move(path_of));
    }

    std::vector<std::optional<FileStamp>> stamps(const std::filesystem::path& dir,
                                                 const std::vector<std::string>& paths) const override {
        std::vector<std::optional<FileStamp>> stamps(paths.size());
        const char* disabled = std::getenv("MIGRATOR_NO_SCRIPT_CACHE");
        if (disabled != nullptr && *disabled != '\0') return stamps;
        const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0) return stamps;
        timespec now{};
        clock_gettime(CLOCK_REALTIME, &now);
        const std::int64_t settled_before = nanoseconds(now) - settle_time_ns_;
        const auto stamp_range = [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                const std::string& path = paths[i];
                struct stat info {};
                if (fstatat(dir_fd, path.c_str() + path.find_last_of('/') + 1, &info, 0) != 0) continue;
                const FileStamp stamp{static_cast<std::uint64_t>(info.st_size), nanoseconds(info.st_mtim),
                                      nanoseconds(info.st_ctim), static_cast<std::uint64_t>(info.st_ino),
                                      static_cast<std::uint64_t>(info.st_dev)};
                // A file changed this recently could change again within the same timestamp: read it each
                // time.
                if (stamp.changed_ns < settled_before && stamp.modified_ns < settled_before)
                    stamps[i] = stamp;
            }
        };
        // The stat calls are most of a cached load of many scripts, each a path lookup in the kernel; a
        // second thread takes half of them. A thread that cannot start leaves them all to this one.
        std::size_t split = paths.size();
        std::thread helper;
        if (paths.size() >= stamps_per_thread_minimum * 2 && std::thread::hardware_concurrency() > 1) {
            try {
                helper = std::thread(stamp_range, paths.size() / 2, paths.size());
                split = paths.size() / 2;
            } catch (const std::system_error&) {
                split = paths.size();
            }
        }
        stamp_range(0, split);
        if (helper.joinable()) helper.join();
        close(dir_fd);
        return stamps;
    }

    std::string read_header_cache(const std::filesystem::path& dir) const override {
        auto text = read_path((dir / cache_directory / cache_file).native());
        return text ? std::move(*text) : std::string();
    }

    void write_header_cache(const std::filesystem::path& dir, std::string_view text) const override {
        const std::filesystem::path cache_dir = dir / cache_directory;
        if (mkdir(cache_dir.c_str(), 0777) != 0 && errno != EEXIST) return;
        // The directory ignores itself, as pytest's and mypy's caches do, so that it is never committed.
        const std::filesystem::path ignore = cache_dir / ".gitignore";
        if (access(ignore.c_str(), F_OK) != 0)
            write_whole(ignore, "# The script header cache of migrator.\n*\n");
        // Written aside and renamed over: a concurrent reader sees the old cache or the new one, never half.
        timespec now{};
        clock_gettime(CLOCK_REALTIME, &now);
        const std::filesystem::path aside =
            cache_dir / fmt::format("{}.{}.{}", cache_file, getpid(), nanoseconds(now));
        if (!write_whole(aside, text) || rename(aside.c_str(), (cache_dir / cache_file).c_str()) != 0) {
            unlink(aside.c_str());
        }
    }

private:
    static constexpr const char* cache_directory = ".migrator_cache";
    static constexpr const char* cache_file = "headers";

    static std::int64_t nanoseconds(const timespec& time) {
        return static_cast<std::int64_t>(time.tv_sec) * 1000 * 1000 * 1000 + time.tv_nsec;
    }

    static bool write_whole(const std::filesystem::path& path, std::string_view text) {
        const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0) return false;
        std::size_t written = 0;
        while (written < text.size()) {
            const ssize_t count = ::write(fd, text.data() + written, text.size() - written);
            if (count < 0 && errno == EINTR) continue;
            if (count <= 0) break;
            written += static_cast<std::size_t>(count);
        }
        return close(fd) == 0 && written == text.size();
    }

    std::int64_t settle_time_ns_;

    // d_type answers without a stat call on the usual file systems; symbolic links are followed.
    // `path` is scratch space for the full path, which only that stat call needs.
    static bool is_regular_file(const std::string& prefix, std::string_view name, const dirent& entry,
                                std::string& path) {
        if (entry.d_type == DT_REG) return true;
        if (entry.d_type != DT_UNKNOWN && entry.d_type != DT_LNK) return false;
        path.assign(prefix).append(name);
        struct stat info {};
        return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
    }
};

}  // namespace

const ScriptFiles& disk_script_files() {
    static const DiskScriptFiles files(std::chrono::seconds(2));
    return files;
}

std::unique_ptr<ScriptFiles> make_disk_script_files(std::chrono::nanoseconds settle_time) {
    return std::make_unique<DiskScriptFiles>(settle_time);
}

}  // namespace migrator::script
