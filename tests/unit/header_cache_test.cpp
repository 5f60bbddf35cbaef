#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "script/header_cache.hpp"

using migrator::script::FileStamp;
using migrator::script::HeaderCache;
using migrator::script::HeaderCacheWriter;
using migrator::script::ScriptHeader;

namespace {

const FileStamp stamp_a{281, 1'700'000'000'123'456'789, 1'700'000'001'000'000'001, 42, 65024};
const FileStamp stamp_b{12, -5, 7, 43, 65024};

ScriptHeader header(std::string_view revision, std::string_view message,
                    const std::vector<std::string_view>& down, const std::vector<std::string_view>& labels,
                    const std::vector<std::string_view>& depends) {
    return {revision, message, "2026-01-01 00:00:00", {down, labels, depends}};
}

std::vector<std::string> strings(std::span<const std::string_view> items) {
    return {items.begin(), items.end()};
}

std::string two_entries() {
    const std::vector<std::string_view> none;
    const std::vector<std::string_view> merge = {"aaa", "bbb"};
    const std::vector<std::string_view> labels = {"with space", "12 3"};
    const std::vector<std::string_view> depends = {"x"};
    HeaderCacheWriter writer("1.0");
    writer.add("001_a.sql", stamp_a, header("a1", "a message with 12 digits and  spaces ", none, none, none));
    writer.add("002_b.sql", stamp_b, header("b2", "", merge, labels, depends));
    return std::move(writer).finish();
}

}  // namespace

TEST_CASE("header_cache: what the writer writes reads back, field by field", "[header_cache]") {
    const auto cache = HeaderCache::parse(two_entries(), "1.0");
    REQUIRE(cache.size() == 2);
    const auto a = cache.find("001_a.sql", stamp_a);
    REQUIRE(a);
    CHECK(a->revision == "a1");
    CHECK(a->message == "a message with 12 digits and  spaces ");
    CHECK(a->create_date == "2026-01-01 00:00:00");
    CHECK(a->lists[0].empty());
    const auto b = cache.find("002_b.sql", stamp_b);
    REQUIRE(b);
    CHECK(b->message.empty());
    CHECK(strings(b->lists[0]) == std::vector<std::string>{"aaa", "bbb"});
    CHECK(strings(b->lists[1]) == std::vector<std::string>{"with space", "12 3"});
    CHECK(strings(b->lists[2]) == std::vector<std::string>{"x"});
}

TEST_CASE("header_cache: a header is found only at its exact stamp and name", "[header_cache]") {
    const auto cache = HeaderCache::parse(two_entries(), "1.0");
    for (auto changed : {FileStamp{282, stamp_a.modified_ns, stamp_a.changed_ns, 42, 65024},
                         FileStamp{281, stamp_a.modified_ns + 1, stamp_a.changed_ns, 42, 65024},
                         FileStamp{281, stamp_a.modified_ns, stamp_a.changed_ns + 1, 42, 65024},
                         FileStamp{281, stamp_a.modified_ns, stamp_a.changed_ns, 41, 65024},
                         FileStamp{281, stamp_a.modified_ns, stamp_a.changed_ns, 42, 1}}) {
        CHECK_FALSE(cache.find("001_a.sql", changed));
    }
    CHECK_FALSE(cache.find("002_b.sql", stamp_a));
    CHECK_FALSE(cache.find("001_a", stamp_a));
    CHECK_FALSE(cache.find("003_c.sql", stamp_a));
}

TEST_CASE("header_cache: another writer's version, or no text, is an empty cache", "[header_cache]") {
    CHECK(HeaderCache::parse(two_entries(), "1.1").size() == 0);
    CHECK(HeaderCache::parse(two_entries(), "1").size() == 0);
    CHECK(HeaderCache::parse("", "1.0").size() == 0);
    CHECK(HeaderCache::parse(std::string(two_entries()).replace(0, 1, "M"), "1.0").size() == 0);
}

TEST_CASE("header_cache: damaged text is an empty cache, never a wrong header", "[header_cache]") {
    const std::string text = two_entries();
    const std::size_t second_record = text.find("9 002_b.sql");
    REQUIRE(second_record != std::string::npos);
    // Cut anywhere: the cache holds nothing, or (cut at the end of a line) the whole records before the cut.
    for (std::size_t size = 0; size < text.size(); ++size) {
        const auto cache = HeaderCache::parse(text.substr(0, size), "1.0");
        INFO("cut at " << size);
        if (size == second_record) {
            CHECK(cache.size() == 1);
        } else {
            CHECK(cache.size() == 0);
        }
    }
    // A length one too long swallows the separator after its text.
    std::string longer = text;
    longer.replace(longer.find("2 a1 "), 5, "3 a1 ");
    CHECK(HeaderCache::parse(longer, "1.0").size() == 0);
}

TEST_CASE("header_cache: names out of order are refused, so that lookups can search", "[header_cache]") {
    const std::vector<std::string_view> none;
    HeaderCacheWriter writer("1.0");
    writer.add("002_b.sql", stamp_b, header("b2", "", none, none, none));
    writer.add("001_a.sql", stamp_a, header("a1", "", none, none, none));
    const std::string text = std::move(writer).finish();
    CHECK(HeaderCache::parse(text, "1.0").size() == 0);
}
