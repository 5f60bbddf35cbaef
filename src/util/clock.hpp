#pragma once
// The current time in a named time zone, for create_date and file names.

#include <string>
#include <string_view>

#include "util/expected.hpp"

namespace migrator::util {

/// A broken-down wall-clock time.
struct WallTime {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    /// "YYYY-MM-DD HH:MM:SS", as written into create_date.
    [[nodiscard]] std::string text() const;
};

/// Now, in `timezone` ("" for local time, "UTC", or an IANA name such as "Europe/Berlin");
/// an unknown zone is a failure naming the `timezone` setting.
Expected<WallTime> now_in(std::string_view timezone);

}  // namespace migrator::util
