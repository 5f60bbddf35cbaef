#pragma once
// Why a connection attempt failed, told apart so that each cause gets its own clear message
// and `--wait` knows which ones waiting can cure.

#include <string>
#include <string_view>

#include "util/error.hpp"

namespace migrator::db {

/// The causes users act on differently.
enum class ConnectFailure { Refused, UnknownHost, Authentication, Timeout, Other };

/// Reads the cause from a driver's message (libpq, MariaDB client, SQLite).
ConnectFailure classify_connect_failure(std::string_view driver_message);

/// One line: "cannot connect to <target>: <what it means>: <driver message>".
std::string describe_connect_failure(ConnectFailure failure, std::string_view target, std::string_view user,
                                     std::string_view driver_message);

/// A failed connection attempt; the message is already free of the password.
class ConnectionError : public Error {
public:
    ConnectionError(const std::string& message, ConnectFailure failure)
        : Error(message, ErrorKind::Connection), failure_(failure) {}

    /// What went wrong, for callers that retry.
    [[nodiscard]] ConnectFailure failure() const { return failure_; }

private:
    ConnectFailure failure_;
};

}  // namespace migrator::db
