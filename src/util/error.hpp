#pragma once
// The one exception type: parsers and file IO return Expected, everything else throws Error (or a
// subclass carrying fields a caller acts on, such as db::DatabaseError); cli/app catches it once and
// prints "error: ...". See docs/architecture.md (Conventions).

#include <stdexcept>
#include <string>

namespace migrator {

/// Process exit codes, so that CI scripts can tell a negative answer from a failure.
enum class ExitCode : int {
    Ok = 0,
    NotUpToDate = 1,  // a gate said no: `current --check-heads`, `check` with drift
    Error = 2,        // bad input, database failure, anything that printed "error:"
    Usage = 64,       // the command line itself was wrong
};

/// A user-facing failure; message() is the one-line message after "error: ".
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message, ExitCode code = ExitCode::Error)
        : std::runtime_error(message), message_(message), code_(code) {}

    /// The whole message; what() stops at a NUL byte, which a name quoted from a file may carry.
    [[nodiscard]] const std::string& message() const { return message_; }
    /// The exit code main returns for this error.
    [[nodiscard]] ExitCode code() const { return code_; }

private:
    std::string message_;
    ExitCode code_;
};

}  // namespace migrator
