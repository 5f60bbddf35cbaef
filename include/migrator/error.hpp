#pragma once
// The one exception type of migrator, for the command line and for programs that embed it
// (<migrator/migrator.hpp>). Standard C++17, no other dependency.

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

/// What went wrong, for a program that reacts differently to each.
enum class ErrorKind {
    Invalid,      // bad input: the config, a script, the revision graph, a target, a changed applied script
    Usage,        // an argument or a combination of options that is not allowed
    Connection,   // the database could not be reached or refused the login
    Database,     // a statement, the version table or the history table failed on the server
    Lock,         // another migrator held the migration lock past the lock timeout
    Interrupted,  // the run was asked to stop (Project::interrupt, or a signal for the command line)
};

/// A user-facing failure; message() is one line, naming the file, line, revision or setting, with
/// passwords masked.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message, ExitCode code = ExitCode::Error)
        : std::runtime_error(message),
          message_(message),
          code_(code),
          kind_(code == ExitCode::Usage ? ErrorKind::Usage : ErrorKind::Invalid) {}
    Error(const std::string& message, ErrorKind kind)
        : std::runtime_error(message),
          message_(message),
          code_(kind == ErrorKind::Usage ? ExitCode::Usage : ExitCode::Error),
          kind_(kind) {}

    /// The whole message; what() stops at a NUL byte, which a name quoted from a file may carry.
    [[nodiscard]] const std::string& message() const { return message_; }
    /// The exit code the command line returns for this error.
    [[nodiscard]] ExitCode code() const { return code_; }
    /// What kind of failure this is.
    [[nodiscard]] ErrorKind kind() const { return kind_; }

private:
    std::string message_;
    ExitCode code_;
    ErrorKind kind_;
};

}  // namespace migrator
