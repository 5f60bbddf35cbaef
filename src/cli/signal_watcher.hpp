#pragma once
// SIGINT and SIGTERM, turned from process-killing signals into a request the runtime honours between
// statements: the current step is rolled back, the lock released, and the command exits 128 + signal.

#include <csignal>
#include <functional>
#include <thread>

#include "util/interruption.hpp"

namespace migrator::cli {

/// What to do with a signal that came while no plan was running (nothing to roll back).
using IdleSignalAction = std::function<void(int signal_number)>;

/// Prints "interrupted: no migration step was running" on stderr and ends the process with 128 + signal
/// at once: nothing is half-done, and what a connection held dies with the process.
void exit_at_once(int signal_number);

/// Blocks SIGINT and SIGTERM in the constructing thread and every thread it starts later, and waits for
/// them on a thread of its own. The first signal requests `interruption`; later ones are ignored, so that
/// a rollback is never cut short (kill -9 is, and is safe). Construct it before any other thread starts.
class SignalWatcher {
public:
    explicit SignalWatcher(util::Interruption& interruption, IdleSignalAction when_idle = exit_at_once);
    /// Stops the thread, drops signals that came since, and restores the constructing thread's mask.
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

private:
    void watch();

    util::Interruption& interruption_;
    IdleSignalAction when_idle_;
    sigset_t previous_mask_{};
    int signal_fd_ = -1;
    int stop_fd_ = -1;
    std::thread thread_;
};

}  // namespace migrator::cli
