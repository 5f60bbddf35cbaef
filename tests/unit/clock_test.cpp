#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "util/clock.hpp"

using migrator::util::now_in;
using migrator::util::WallTime;

namespace {

// Minutes since 2000-01-01 00:00 on the wall clock (days from the civil calendar, Howard Hinnant's
// algorithm).
long long minutes(const WallTime& t) {
    const int y = t.month <= 2 ? t.year - 1 : t.year;
    const int era = y / 400;
    const int year_of_era = y - era * 400;
    const int day_of_year = (153 * (t.month + (t.month > 2 ? -3 : 9)) + 2) / 5 + t.day - 1;
    const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    const long long days = era * 146097LL + day_of_era - 730425;
    return days * 1440 + t.hour * 60LL + t.minute;
}

}  // namespace

TEST_CASE("now_in reads a named zone's offset from the zone database", "[clock]") {
    const auto utc = now_in("UTC");
    const auto tokyo = now_in("Asia/Tokyo");  // +09:00 all year
    const auto berlin = now_in("Europe/Berlin");
    REQUIRE(utc);
    REQUIRE(tokyo);
    REQUIRE(berlin);
    // The calls may straddle a minute.
    const auto tokyo_offset = minutes(*tokyo) - minutes(*utc);
    CHECK((tokyo_offset == 540 || tokyo_offset == 541));
    const auto berlin_offset = minutes(*berlin) - minutes(*utc);
    CHECK((berlin_offset == 60 || berlin_offset == 61 || berlin_offset == 120 || berlin_offset == 121));
}

TEST_CASE("now_in leaves the process's TZ alone", "[clock]") {
    const char* before = std::getenv("TZ");
    const std::string saved = before != nullptr ? before : "";
    REQUIRE(now_in("America/New_York"));
    const char* after = std::getenv("TZ");
    CHECK((after != nullptr ? std::string(after) : std::string()) == saved);
    CHECK((before == nullptr) == (after == nullptr));
}

TEST_CASE("now_in names an unknown zone", "[clock]") {
    for (const auto* name : {"Mars/Olympus", "../../etc/passwd", "Europe/"}) {
        const auto result = now_in(name);
        REQUIRE_FALSE(result);
        CHECK_THAT(result.error().message, Catch::Contains(std::string("timezone '") + name + "'"));
    }
}
