#pragma once
// What upgrade, downgrade, stamp and ensure_version did, as JSON; and the progress they show on stderr
// while they run.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace migrator::render {

/// One step that ran.
struct StepReport {
    std::string direction;                // "upgrade", "downgrade" or "stamp"
    std::optional<std::string> revision;  // null for a stamp
    std::vector<std::string> from;        // the version-table rows it replaced
    std::vector<std::string> to;          // the rows it wrote
    std::string message;
    std::int64_t duration_ms = 0;
};

/// A command that moves the version table.
struct MigrationReport {
    std::string command;
    std::vector<std::string> heads_before;
    std::vector<std::string> heads_after;
    std::vector<StepReport> steps;
    std::optional<std::string> checkpoint;  // the checkpoint file a fresh database started from
    std::int64_t duration_ms = 0;
    [[nodiscard]] bool changed() const { return !steps.empty() || checkpoint.has_value(); }
};

/// Prints the report as one JSON object with "schema_version".
void print_json(std::ostream& out, const MigrationReport& report);

/// How progress is shown: `[n/N]` lines off a terminal, one live line on it, or nothing (--quiet).
enum class ProgressStyle { Lines, Live, Silent };

/// Announces each step of a run with its number, and measures how long each one took.
class Progress {
public:
    /// `err` receives the live line; the Lines style writes through the log. `width` bounds the live line.
    Progress(std::ostream& err, ProgressStyle style, std::size_t total, std::size_t width = 80);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    /// A step starts; `announcement` is "Running upgrade a -> b, message".
    void step_started(const std::string& announcement);
    /// The run ended (or failed): the live line is erased. Returns each started step's duration.
    std::vector<std::int64_t> finish();
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
    std::chrono::steady_clock::time_point step_begin_;
    std::vector<std::int64_t> durations_;
};

/// "1.2 s", "2 min 5 s": a duration for the summary line.
std::string format_duration(std::int64_t milliseconds);

}  // namespace migrator::render
