#include "util/clock.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <stdexcept>
#include <string>

namespace migrator::util {

std::string WallTime::text() const {
    return fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}", year, month, day, hour, minute, second);
}

namespace {

WallTime from_tm(const std::tm& tm) {
    return WallTime{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
}

WallTime from_local(date::local_seconds time) {
    const auto day = date::floor<date::days>(time);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss<std::chrono::seconds> clock{time - day};
    return WallTime{static_cast<int>(ymd.year()),
                    static_cast<int>(static_cast<unsigned>(ymd.month())),
                    static_cast<int>(static_cast<unsigned>(ymd.day())),
                    static_cast<int>(clock.hours().count()),
                    static_cast<int>(clock.minutes().count()),
                    static_cast<int>(clock.seconds().count())};
}

}  // namespace

Expected<WallTime> now_in(std::string_view timezone) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    if (timezone.empty()) {
        const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
        std::tm tm{};
        localtime_r(&seconds, &tm);
        return from_tm(tm);
    }
    if (timezone == "UTC" || timezone == "utc") {
        return from_local(date::local_seconds{now.time_since_epoch()});
    }
    // GCC 12's <chrono> has no time zone database; date reads the system's (/usr/share/zoneinfo) and, unlike
    // localtime_r under a changed TZ, touches no process-wide state.
    const date::time_zone* zone = nullptr;
    try {
        zone = date::locate_zone(timezone);
    } catch (const std::runtime_error&) {
        return fail(
            fmt::format("timezone '{}' is not a known time zone (use UTC or an IANA name such as "
                        "Europe/Berlin)",
                        timezone));
    }
    return from_local(zone->to_local(now));
}

}  // namespace migrator::util
