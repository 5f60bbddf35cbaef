#pragma once
// What every JSON document shares: its "schema_version" (docs/json.md), and the error object printed
// instead of a result when a command run with --format json fails.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace migrator::render {

/// The version of the JSON documents' shape; raised when a key changes meaning or goes away.
inline constexpr int json_schema_version = 1;

/// A failure, for `--format json`.
struct ErrorReport {
    int code = 2;         // the process exit code
    std::string kind;     // "usage", "database", "interrupted" or "error"
    std::string message;  // the text after "error: "
    std::optional<std::string> file;
    std::optional<std::int64_t> line;
    std::optional<std::string> revision;
};

/// An ErrorReport for `message`, with the file, line and revision the message names filled in.
ErrorReport describe_error(std::string message, int code, std::string kind);

/// Prints `{"schema_version": 1, "error": {...}}` followed by a newline.
void print_json(std::ostream& out, const ErrorReport& error);

}  // namespace migrator::render
