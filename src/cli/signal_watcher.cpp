#include "cli/signal_watcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "util/error.hpp"

namespace migrator::cli {

namespace {

sigset_t watched_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

[[noreturn]] void system_failure(std::string_view what) {
    throw Error(std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

void exit_at_once(int signal_number) {
    constexpr std::string_view line = "interrupted: no migration step was running\n";
    // Only async-signal-safe calls: the main thread may be anywhere, even inside malloc.
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, line.data(), line.size());
    std::_Exit(128 + signal_number);
}

SignalWatcher::SignalWatcher(util::Interruption& interruption, IdleSignalAction when_idle)
    : interruption_(interruption), when_idle_(std::move(when_idle)) {
    const sigset_t set = watched_signals();
    // A signalfd rather than sigwait, so that the destructor can wake the thread without a signal.
    if (pthread_sigmask(SIG_BLOCK, &set, &previous_mask_) != 0) system_failure("cannot block signals");
    signal_fd_ = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    stop_fd_ = eventfd(0, EFD_CLOEXEC);
    if (signal_fd_ < 0 || stop_fd_ < 0) {
        const int saved = errno;
        if (signal_fd_ >= 0) ::close(signal_fd_);
        if (stop_fd_ >= 0) ::close(stop_fd_);
        pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
        errno = saved;
        system_failure("cannot watch for signals");
    }
    thread_ = std::thread([this] { watch(); });
}

SignalWatcher::~SignalWatcher() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(stop_fd_, &one, sizeof one);
    thread_.join();
    // The command is over: a signal that came meanwhile must not kill the process once unblocked.
    signalfd_siginfo info{};
    while (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    }
    ::close(signal_fd_);
    ::close(stop_fd_);
    pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

void SignalWatcher::watch() {
    bool requested = false;
    for (;;) {
        std::array<pollfd, 2> fds{pollfd{signal_fd_, POLLIN, 0}, pollfd{stop_fd_, POLLIN, 0}};
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if ((fds[1].revents & POLLIN) != 0) return;
        if ((fds[0].revents & POLLIN) == 0) continue;
        signalfd_siginfo info{};
        if (::read(signal_fd_, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) continue;
        if (requested) continue;  // a rollback is under way; it finishes
        requested = true;
        const int signal_number = static_cast<int>(info.ssi_signo);
        if (interruption_.request(signal_number) == util::RequestOutcome::NothingRunning) {
            when_idle_(signal_number);
        }
    }
}

}  // namespace migrator::cli
