#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "util/log.hpp"

namespace mlog = migrator::log;

namespace {

struct Collected {
    std::vector<std::pair<mlog::Level, std::string>> lines;
    mlog::Sink sink;

    explicit Collected(mlog::Level threshold) {
        sink.threshold = threshold;
        sink.write = [this](mlog::Level level, std::string_view line) { lines.emplace_back(level, line); };
    }
};

}  // namespace

TEST_CASE("a ScopedSink receives the thread's lines at its threshold, masked and escaped", "[log]") {
    Collected collected(mlog::Level::Info);
    {
        const mlog::ScopedSink scoped(&collected.sink);
        CHECK(mlog::current_sink() == &collected.sink);
        mlog::debug("not shown");
        mlog::info("connecting to postgresql://app:hunter2@db/app");
        mlog::warn("two\nlines");
    }
    CHECK(mlog::current_sink() == nullptr);
    REQUIRE(collected.lines.size() == 2);
    CHECK(collected.lines[0] == std::pair<mlog::Level, std::string>{
                                    mlog::Level::Info, "connecting to postgresql://app:***@db/app"});
    CHECK(collected.lines[1].first == mlog::Level::Warning);
    CHECK(collected.lines[1].second == "two\\nlines");
}

TEST_CASE("sinks are per thread and nest", "[log]") {
    Collected outer(mlog::Level::Debug);
    Collected inner(mlog::Level::Debug);
    Collected other(mlog::Level::Debug);
    {
        const mlog::ScopedSink scoped(&outer.sink);
        std::thread thread([&] {
            const mlog::ScopedSink theirs(&other.sink);
            mlog::info("from the other thread");
        });
        {
            const mlog::ScopedSink nested(&inner.sink);
            mlog::info("inner");
        }
        mlog::info("outer");
        thread.join();
    }
    REQUIRE(outer.lines.size() == 1);
    CHECK(outer.lines[0].second == "outer");
    REQUIRE(inner.lines.size() == 1);
    CHECK(inner.lines[0].second == "inner");
    REQUIRE(other.lines.size() == 1);
    CHECK(other.lines[0].second == "from the other thread");
}
