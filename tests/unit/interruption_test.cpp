#include "util/interruption.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using migrator::util::Interruption;
using migrator::util::RequestOutcome;

TEST_CASE("an interruption records the first signal and its exit code", "[interruption]") {
    Interruption interruption;
    CHECK_FALSE(interruption.requested());
    CHECK(interruption.request(SIGTERM) == RequestOutcome::NothingRunning);
    CHECK(interruption.request(SIGINT) == RequestOutcome::NothingRunning);
    CHECK(interruption.requested());
    CHECK(interruption.signal_number() == SIGTERM);
    CHECK(interruption.exit_code() == 143);
}

TEST_CASE("a request calls the canceller only while its scope lives", "[interruption]") {
    Interruption interruption;
    int cancels = 0;
    {
        const Interruption::CancelScope scope(interruption, [&] { ++cancels; });
        CHECK(interruption.request(SIGINT) == RequestOutcome::Cancelling);
        CHECK(cancels == 1);
        CHECK(interruption.exit_code() == 130);
    }
    CHECK(interruption.request(SIGINT) == RequestOutcome::NothingRunning);
    CHECK(cancels == 1);
}

TEST_CASE("only the first request cancels: a later one would cut the rollback short", "[interruption]") {
    Interruption interruption;
    int cancels = 0;
    const Interruption::CancelScope scope(interruption, [&] { ++cancels; });
    CHECK(interruption.request(SIGINT) == RequestOutcome::Cancelling);
    CHECK(interruption.request(SIGTERM) == RequestOutcome::Cancelling);
    CHECK(cancels == 1);
    CHECK(interruption.signal_number() == SIGINT);
}

TEST_CASE("a cancel scope's end clears what its cancel left behind", "[interruption]") {
    Interruption interruption;
    bool pending = false;
    {
        const Interruption::CancelScope scope(
            interruption, [&] { pending = true; }, [&] { pending = false; });
        CHECK(interruption.request(SIGINT) == RequestOutcome::Cancelling);
        CHECK(pending);
    }
    CHECK_FALSE(pending);
}

TEST_CASE("a nested cancel scope puts the enclosing canceller back when it ends", "[interruption]") {
    Interruption interruption;
    int outer = 0;
    int inner = 0;
    const Interruption::CancelScope enclosing(interruption, [&] { ++outer; });
    {
        const Interruption::CancelScope scope(interruption, [&] { ++inner; });
    }
    CHECK(interruption.request(SIGTERM) == RequestOutcome::Cancelling);
    CHECK(outer == 1);
    CHECK(inner == 0);
}
