#include "db/connect_failure.hpp"

#include <fmt/format.h>

#include <array>

namespace migrator::db {

namespace {

bool contains_any(std::string_view text, std::initializer_list<std::string_view> needles) {
    for (const auto needle : needles) {
        if (text.find(needle) != std::string_view::npos) return true;
    }
    return false;
}

}  // namespace

ConnectFailure classify_connect_failure(std::string_view driver_message) {
    // Authentication first: MariaDB says "Access denied" even for a refused database name.
    if (contains_any(driver_message, {"password authentication failed", "no password supplied",
                                      "Access denied for user", "authentication failed"})) {
        return ConnectFailure::Authentication;
    }
    if (contains_any(driver_message, {"could not translate host name", "Unknown MySQL server host",
                                      "Unknown server host", "Name or service not known"})) {
        return ConnectFailure::UnknownHost;
    }
    // Before "refused": MariaDB says "Can't connect ... (110)" when connect() times out.
    if (contains_any(driver_message, {"timeout expired", "(110)", "reading initial communication packet",
                                      "Connection timed out"})) {
        return ConnectFailure::Timeout;
    }
    if (contains_any(driver_message, {"Connection refused", "Can't connect to MySQL server",
                                      "Can't connect to server", "(111)", "No such file or directory"})) {
        return ConnectFailure::Refused;
    }
    return ConnectFailure::Other;
}

std::string describe_connect_failure(ConnectFailure failure, std::string_view target, std::string_view user,
                                     std::string_view driver_message) {
    switch (failure) {
        case ConnectFailure::Refused:
            return fmt::format(
                "cannot connect to {}: connection refused; is the server running and accepting "
                "connections there? ({})",
                target, driver_message);
        case ConnectFailure::UnknownHost:
            return fmt::format("cannot connect to {}: unknown host; check the host name in the URL ({})",
                               target, driver_message);
        case ConnectFailure::Authentication:
            return fmt::format(
                "cannot connect to {}: authentication failed for user '{}'; check the password ({})", target,
                user, driver_message);
        case ConnectFailure::Timeout:
            return fmt::format(
                "cannot connect to {}: the server did not answer within the connect timeout (the URL's "
                "?connect_timeout=, 10 s by default); is it overloaded or is something else listening there? "
                "({})",
                target, driver_message);
        case ConnectFailure::Other:
            break;
    }
    return fmt::format("cannot connect to {}: {}", target, driver_message);
}

}  // namespace migrator::db
