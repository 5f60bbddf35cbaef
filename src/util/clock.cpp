#include "util/clock.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>

namespace migrator::util {

std::string WallTime::text() const {
    return fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}", year, month, day, hour, minute, second);
}

namespace {

WallTime from_tm(const std::tm& tm) {
    return WallTime{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
}

// GCC 12's <chrono> has no time zone database, so the C library converts, with TZ set for
// the duration of one call and restored afterwards.
WallTime local_time_with_tz(const std::string& tz, std::time_t now) {
    const char* previous = std::getenv("TZ");
    const std::optional<std::string> saved = previous ? std::optional<std::string>(previous) : std::nullopt;
    setenv("TZ", tz.c_str(), 1);
    tzset();
    std::tm tm{};
    localtime_r(&now, &tm);
    if (saved) {
        setenv("TZ", saved->c_str(), 1);
    } else {
        unsetenv("TZ");
    }
    tzset();
    return from_tm(tm);
}

}  // namespace

Expected<WallTime> now_in(std::string_view timezone) {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    if (timezone.empty()) {
        localtime_r(&now, &tm);
        return from_tm(tm);
    }
    if (timezone == "UTC" || timezone == "utc") {
        gmtime_r(&now, &tm);
        return from_tm(tm);
    }
    const std::string name(timezone);
    std::error_code ec;
    if (name.find("..") != std::string::npos ||
        !std::filesystem::is_regular_file("/usr/share/zoneinfo/" + name, ec)) {
        return fail(
            fmt::format("timezone '{}' is not a known time zone (use UTC or an IANA name such as "
                        "Europe/Berlin)",
                        name));
    }
    return local_time_with_tz(name, now);
}

}  // namespace migrator::util
