#include "cli/signal_watcher.hpp"

#include <signal.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <future>

using migrator::cli::SignalWatcher;
using migrator::util::Interruption;

// The signals go to this very process: the watcher blocks them first, so they reach only its thread.
TEST_CASE("a signal during a run requests the interruption and cancels the running statement",
          "[signal_watcher]") {
    Interruption interruption;
    std::promise<int> idle;
    std::promise<void> cancelled;
    int cancels = 0;
    {
        const SignalWatcher watcher(interruption, [&](int signal_number) { idle.set_value(signal_number); });
        const Interruption::CancelScope scope(interruption, [&] {
            if (++cancels == 1) cancelled.set_value();
        });
        REQUIRE(::kill(::getpid(), SIGINT) == 0);
        cancelled.get_future().wait();
        // A second signal (while the run rolls back) changes nothing.
        REQUIRE(::kill(::getpid(), SIGTERM) == 0);
    }
    CHECK(interruption.signal_number() == SIGINT);
    CHECK(interruption.exit_code() == 130);
    CHECK(cancels == 1);
    CHECK(idle.get_future().wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
}

TEST_CASE("a signal while nothing runs goes to the idle action", "[signal_watcher]") {
    Interruption interruption;
    std::promise<int> idle;
    auto idle_signal = idle.get_future();
    {
        const SignalWatcher watcher(interruption, [&](int signal_number) { idle.set_value(signal_number); });
        REQUIRE(::kill(::getpid(), SIGTERM) == 0);
        CHECK(idle_signal.get() == SIGTERM);
    }
    CHECK(interruption.signal_number() == SIGTERM);
    CHECK(interruption.exit_code() == 143);
}

TEST_CASE("the watcher restores the signal mask it found", "[signal_watcher]") {
    sigset_t before;
    sigset_t after;
    REQUIRE(pthread_sigmask(SIG_SETMASK, nullptr, &before) == 0);
    {
        Interruption interruption;
        const SignalWatcher watcher(interruption, [](int) {});
        sigset_t during;
        REQUIRE(pthread_sigmask(SIG_SETMASK, nullptr, &during) == 0);
        CHECK(sigismember(&during, SIGINT) == 1);
        CHECK(sigismember(&during, SIGTERM) == 1);
    }
    REQUIRE(pthread_sigmask(SIG_SETMASK, nullptr, &after) == 0);
    CHECK(sigismember(&after, SIGINT) == sigismember(&before, SIGINT));
    CHECK(sigismember(&after, SIGTERM) == sigismember(&before, SIGTERM));
}
