#include "util/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.hpp"

namespace migrator::util {

void write_new_file(const std::filesystem::path& path, std::string_view text) {
    // O_EXCL fails on any existing name, a symbolic link included, so that a link planted in the
    // directory cannot redirect the write elsewhere; O_NOFOLLOW says so once more.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) {
        const int error = errno;
        struct stat info {};
        if (::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode))
            throw Error(fmt::format("cannot create '{}': a symbolic link is in the way", path.string()));
        if (error == EEXIST) throw Error(fmt::format("cannot create '{}': it already exists", path.string()));
        throw Error(fmt::format("cannot create '{}': {}", path.string(), std::strerror(error)));
    }
    std::size_t written = 0;
    int error = 0;
    while (written < text.size()) {
        const ssize_t count = ::write(fd, text.data() + written, text.size() - written);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) {
            error = count < 0 ? errno : EIO;
            break;
        }
        written += static_cast<std::size_t>(count);
    }
    if (::close(fd) != 0 && error == 0 && errno != EINTR) error = errno;
    if (error != 0) {
        ::unlink(path.c_str());
        throw Error(fmt::format("cannot write '{}': {}", path.string(), std::strerror(error)));
    }
}

}  // namespace migrator::util
