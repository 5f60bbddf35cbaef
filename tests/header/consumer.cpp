// A program that embeds migrator includes only this header; it must compile warning-free in C++17 and
// C++20 with -Wall -Wextra -Wpedantic (tests/header/CMakeLists.txt builds it both ways with -Werror).
#include <migrator/migrator.hpp>

int migrator_header_consumer() {
    migrator::Settings settings;
    settings.url = "sqlite:///app.db";
    const migrator::CheckResult check;
    const migrator::Error error("x", migrator::ErrorKind::Lock);
    return check.up_to_date() && error.kind() == migrator::ErrorKind::Lock && !settings.url.empty() ? 0 : 1;
}
