#pragma once
// A command run on a fleet of targets (docs/fleets.md): the live table or event lines on stderr while it
// runs, then each target's output, the summary and the JSON document with one record per target.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "render/json_document.hpp"
#include "render/migration_report.hpp"
#include "util/log.hpp"

namespace migrator::render {

/// Where one target stands. NotUpToDate: the command ran and answered no (exit 1: `check`, `verify`,
/// `current --check-heads`); NotRun: --fail-fast or an interruption stopped the fleet first.
enum class TargetState { Pending, Running, Done, NotUpToDate, Failed, NotRun };

/// What one target's run gave.
struct TargetOutcome {
    std::string name;
    std::string url;  // with the password masked
    TargetState state = TargetState::Pending;
    int exit_code = 0;
    std::optional<ErrorReport> error;  // set when state is Failed
    std::string output;                // what the command printed on stdout for this target
    std::int64_t duration_ms = 0;
};

/// The run as it goes: on a terminal a table (counts, then each running target with its step n/N) that is
/// redrawn in place, with a permanent line for each target that ends; elsewhere only those lines.
/// Safe to call from the worker threads.
class FleetProgress {
public:
    FleetProgress(std::ostream& err, ProgressStyle style, const std::vector<TargetOutcome>& targets,
                  std::size_t width);
    ~FleetProgress();
    FleetProgress(const FleetProgress&) = delete;
    FleetProgress& operator=(const FleetProgress&) = delete;

    /// Target `index` started.
    void started(std::size_t index);
    /// Target `index` started step `number` of `total`.
    void step_started(std::size_t index, std::size_t number, std::size_t total);
    /// Target `index` ended in `state`; `detail` is its error or a one-line result.
    void finished(std::size_t index, TargetState state, const std::string& detail);
    /// A log line of one target's run, already prefixed with its name, shown above the table.
    void forward(log::Level level, const std::string& line);
    /// Erases the table.
    void finish();

private:
    struct Row {
        std::string name;
        TargetState state = TargetState::Pending;
        std::size_t step = 0;
        std::size_t steps = 0;
    };
    void erase();
    void draw();

    std::mutex mutex_;
    std::ostream& err_;
    ProgressStyle style_;
    std::size_t width_;
    std::vector<Row> rows_;
    std::size_t drawn_lines_ = 0;
};

/// Each target's stdout, every line prefixed with "NAME: ", in target order.
void print_fleet_text(std::ostream& out, const std::vector<TargetOutcome>& targets);

/// `{"schema_version": 1, "command": ..., "summary": {...}, "targets": [...]}`: each target's record holds
/// its own command's document as `result` (null when it failed) and its `error` (null when it did not).
void print_fleet_json(std::ostream& out, const std::string& command,
                      const std::vector<TargetOutcome>& targets, std::int64_t duration_ms);

/// The summary on stderr: one info line with the counts, one error line per failed target.
void log_fleet_summary(const std::string& command, const std::vector<TargetOutcome>& targets,
                       std::int64_t duration_ms);

}  // namespace migrator::render
