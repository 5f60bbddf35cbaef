#pragma once
// A request to stop, made by a signal and read by the runtime between statements. The runtime installs a
// canceller (the connection's interrupt()) while a plan runs, so that a long statement stops too.

#include <atomic>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>

namespace migrator::util {

/// Whether a canceller was installed when the request came (a plan was running).
enum class RequestOutcome { Cancelling, NothingRunning };

/// Set once by the signal watcher; read by the runtime. Thread-safe.
class Interruption {
public:
    /// Records the signal and calls the installed canceller, if any. Only the first request counts: a
    /// later one would cancel the rollback that honours the first.
    RequestOutcome request(int signal_number);
    /// Whether a stop was requested.
    [[nodiscard]] bool requested() const { return signal_.load(std::memory_order_acquire) != 0; }
    /// The signal that asked to stop, 0 when none did.
    [[nodiscard]] int signal_number() const { return signal_.load(std::memory_order_acquire); }
    /// 128 + the signal, as a shell reports a process a signal ended (SIGINT 130, SIGTERM 143).
    [[nodiscard]] int exit_code() const { return 128 + signal_number(); }

    /// Installs `cancel` while the scope lives. Its end waits for a running cancel, so what `cancel`
    /// touches may be destroyed after it, calls `clear` (which undoes a cancel that lasts, such as a
    /// connection's pending interrupt), and puts back the canceller of an enclosing scope (a command that
    /// runs several plans keeps a scope of its own around them).
    class CancelScope {
    public:
        CancelScope(Interruption& owner, std::function<void()> cancel, std::function<void()> clear = {});
        ~CancelScope();
        CancelScope(const CancelScope&) = delete;
        CancelScope& operator=(const CancelScope&) = delete;

    private:
        Interruption& owner_;
        std::function<void()> clear_;
        std::function<void()> enclosing_;
    };

private:
    std::atomic<int> signal_{0};
    std::mutex mutex_;              // guards cancel_ and makes a cancel finish before its scope ends
    std::function<void()> cancel_;  // empty outside a CancelScope
};

/// Whether the command wrote its result (a JSON document) before the interruption reached the top.
enum class ResultWritten { No, Yes };

/// Thrown when a stop was honoured; what() is the whole line ("interrupted: ..."), printed without
/// "error: ", and the exit code is 128 + the signal. Not an Error, so that the runtime's handlers of
/// failed statements let it through.
class Interrupted : public std::runtime_error {
public:
    Interrupted(const std::string& message, int exit_code, ResultWritten result = ResultWritten::No)
        : std::runtime_error(message), exit_code_(exit_code), result_(result) {}
    [[nodiscard]] int exit_code() const { return exit_code_; }
    [[nodiscard]] ResultWritten result_written() const { return result_; }

private:
    int exit_code_;
    ResultWritten result_;
};

}  // namespace migrator::util
