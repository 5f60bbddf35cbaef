#pragma once
// What upgrade, downgrade and stamp did (migrator::MigrationResult, the API's result too) as JSON; and
// the progress they show on stderr while they run.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "migrator/results.hpp"

namespace migrator::render {

/// Prints what `command` ("upgrade", "downgrade", "stamp") did as one JSON object with "schema_version".
void print_json(std::ostream& out, const MigrationResult& result, const std::string& command);

/// How progress is shown: `[n/N]` lines off a terminal, one live line on it, or nothing (--quiet).
enum class ProgressStyle { Lines, Live, Silent };

/// Announces each step of a run with its number (the steps' durations come from the migration context).
class Progress {
public:
    /// `err` receives the live line; the Lines style writes through the log. `width` bounds the live line.
    Progress(std::ostream& err, ProgressStyle style, std::size_t total, std::size_t width = 80);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    /// A step starts; `announcement` is "Running upgrade a -> b, message".
    void step_started(const std::string& announcement);
    /// The run ended (or failed): the live line is erased.
    void finish();
    /// Milliseconds since the progress began.
    [[nodiscard]] std::int64_t elapsed_ms() const;

private:
    std::ostream& err_;
    ProgressStyle style_;
    std::size_t total_;
    std::size_t width_;
    std::size_t started_ = 0;
    bool line_shown_ = false;
    std::chrono::steady_clock::time_point begin_;
};

/// "1.2 s", "2 min 5 s": a duration for the summary line.
std::string format_duration(std::int64_t milliseconds);

}  // namespace migrator::render
