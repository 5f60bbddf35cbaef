#pragma once
// The exception used above the low layers; main catches it once and prints "error: ...".

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

/// A user-facing failure; what() is the one-line message after "error: ".
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message, ExitCode code = ExitCode::Error)
        : std::runtime_error(message), code_(code) {}

    /// The exit code main returns for this error.
    [[nodiscard]] ExitCode code() const { return code_; }

private:
    ExitCode code_;
};

}  // namespace migrator
