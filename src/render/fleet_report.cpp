#include "render/fleet_report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "util/log.hpp"
#include "util/strings.hpp"

namespace migrator::render {

namespace {

// Beyond this many running targets the table shows a count instead of a row each.
constexpr std::size_t max_running_rows = 16;

const char* state_name(TargetState state) {
    switch (state) {
        case TargetState::Pending:
            return "pending";
        case TargetState::Running:
            return "running";
        case TargetState::Done:
            return "done";
        case TargetState::NotUpToDate:
            return "not_up_to_date";
        case TargetState::Failed:
            return "failed";
        case TargetState::NotRun:
            return "not_run";
    }
    return "pending";
}

struct Counts {
    std::size_t pending = 0;
    std::size_t running = 0;
    std::size_t done = 0;
    std::size_t not_up_to_date = 0;
    std::size_t failed = 0;
    std::size_t not_run = 0;
};

template <class Items, class StateOf>
Counts count(const Items& items, StateOf state_of) {
    Counts counts;
    for (const auto& item : items) {
        switch (state_of(item)) {
            case TargetState::Pending:
                ++counts.pending;
                break;
            case TargetState::Running:
                ++counts.running;
                break;
            case TargetState::Done:
                ++counts.done;
                break;
            case TargetState::NotUpToDate:
                ++counts.not_up_to_date;
                break;
            case TargetState::Failed:
                ++counts.failed;
                break;
            case TargetState::NotRun:
                ++counts.not_run;
                break;
        }
    }
    return counts;
}

std::string fit(std::string text, std::size_t width) {
    if (text.size() > width) text = text.substr(0, width > 3 ? width - 3 : 0) + "...";
    return text;
}

// The worker threads send their own log lines to their target's record; the fleet's lines go to stderr.
template <class... Args>
void to_stderr(log::Level level, fmt::format_string<Args...> format, Args&&... args) {
    const log::ScopedSink stderr_sink(nullptr);
    if (log::enabled(level)) log::write(level, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace

FleetProgress::FleetProgress(std::ostream& err, ProgressStyle style,
                             const std::vector<TargetOutcome>& targets, std::size_t width)
    : err_(err), style_(style), width_(width) {
    rows_.reserve(targets.size());
    for (const auto& target : targets) rows_.push_back({target.name, TargetState::Pending, 0, 0});
}

FleetProgress::~FleetProgress() {
    finish();
}

void FleetProgress::started(std::size_t index) {
    const std::lock_guard lock(mutex_);
    rows_[index].state = TargetState::Running;
    if (style_ == ProgressStyle::Lines) to_stderr(log::Level::Debug, "{}: started", rows_[index].name);
    draw();
}

void FleetProgress::step_started(std::size_t index, std::size_t number, std::size_t total) {
    const std::lock_guard lock(mutex_);
    rows_[index].step = number;
    rows_[index].steps = total;
    draw();
}

void FleetProgress::finished(std::size_t index, TargetState state, const std::string& detail) {
    const std::lock_guard lock(mutex_);
    auto& row = rows_[index];
    row.state = state;
    if (style_ == ProgressStyle::Silent) return;
    erase();
    if (state == TargetState::Failed) {
        to_stderr(log::Level::Warning, "{}: failed: {}", row.name, detail);
    } else if (state == TargetState::NotUpToDate) {
        to_stderr(log::Level::Info, "{}: not up to date{}", row.name, detail.empty() ? "" : ": " + detail);
    } else if (state == TargetState::Done) {
        to_stderr(log::Level::Info, "{}: {}", row.name, detail.empty() ? std::string("done") : detail);
    }
    draw();
}

void FleetProgress::forward(log::Level level, const std::string& line) {
    const std::lock_guard lock(mutex_);
    erase();
    to_stderr(level, "{}", line);
    draw();
}

void FleetProgress::finish() {
    const std::lock_guard lock(mutex_);
    erase();
}

void FleetProgress::erase() {
    if (drawn_lines_ == 0) return;
    err_ << fmt::format("\x1b[{}A\r\x1b[J", drawn_lines_) << std::flush;
    drawn_lines_ = 0;
}

void FleetProgress::draw() {
    if (style_ != ProgressStyle::Live) return;
    erase();
    const auto counts = count(rows_, [](const Row& row) { return row.state; });
    std::string text =
        fit(fmt::format("targets: {} done, {} failed, {} running, {} pending",
                        counts.done + counts.not_up_to_date, counts.failed, counts.running, counts.pending),
            width_ - 1) +
        "\n";
    std::size_t lines = 1;
    std::size_t shown = 0;
    for (const auto& row : rows_) {
        if (row.state != TargetState::Running) continue;
        if (shown == max_running_rows) {
            text += fmt::format("  ... and {} more running\n", counts.running - shown);
            ++lines;
            break;
        }
        const auto step =
            row.steps == 0 ? std::string("connecting") : fmt::format("step {}/{}", row.step, row.steps);
        text += fit(util::printable(fmt::format("  {}  {}", row.name, step)), width_ - 1) + "\n";
        ++lines;
        ++shown;
    }
    err_ << text << std::flush;
    drawn_lines_ = lines;
}

void print_fleet_text(std::ostream& out, const std::vector<TargetOutcome>& targets) {
    for (const auto& target : targets) {
        std::istringstream lines(target.output);
        for (std::string line; std::getline(lines, line);) out << target.name << ": " << line << '\n';
    }
}

void print_fleet_json(std::ostream& out, const std::string& command,
                      const std::vector<TargetOutcome>& targets, std::int64_t duration_ms) {
    auto records = nlohmann::json::array();
    for (const auto& target : targets) {
        auto result = nlohmann::json::parse(target.output, nullptr, false);
        if (result.is_discarded() || target.state == TargetState::Failed) result = nullptr;
        nlohmann::json error(nullptr);
        if (target.error) {
            // The same object a single run prints under "error" (docs/json.md).
            std::ostringstream text;
            print_json(text, *target.error);
            error = nlohmann::json::parse(text.str())["error"];
        }
        records.push_back({
            {"name", target.name},
            {"url", target.url},
            {"status", state_name(target.state)},
            {"exit_code", target.exit_code},
            {"duration_ms", target.duration_ms},
            {"error", std::move(error)},
            {"result", std::move(result)},
        });
    }
    const auto counts = count(targets, [](const TargetOutcome& target) { return target.state; });
    const nlohmann::json document{
        {"schema_version", json_schema_version},
        {"command", command},
        {"duration_ms", duration_ms},
        {"summary",
         {{"targets", targets.size()},
          {"done", counts.done},
          {"not_up_to_date", counts.not_up_to_date},
          {"failed", counts.failed},
          {"not_run", counts.not_run}}},
        {"targets", std::move(records)},
    };
    out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void log_fleet_summary(const std::string& command, const std::vector<TargetOutcome>& targets,
                       std::int64_t duration_ms) {
    const auto counts = count(targets, [](const TargetOutcome& target) { return target.state; });
    std::string line = fmt::format("{} on {} target(s) in {}: {} done", command, targets.size(),
                                   format_duration(duration_ms), counts.done);
    if (counts.not_up_to_date != 0) line += fmt::format(", {} not up to date", counts.not_up_to_date);
    line += fmt::format(", {} failed", counts.failed);
    if (counts.not_run != 0) line += fmt::format(", {} not run", counts.not_run);
    to_stderr(log::Level::Info, "{}", line);
    for (const auto& target : targets) {
        if (target.state == TargetState::Failed && target.error) {
            to_stderr(log::Level::Error, "target {} failed: {}", target.name, target.error->message);
        }
    }
}

}  // namespace migrator::render
