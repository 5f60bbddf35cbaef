#include "render/migration_report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "render/json_document.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace migrator::render {

namespace {

std::int64_t since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
        .count();
}

std::string clock_text(std::int64_t milliseconds) {
    const auto seconds = milliseconds / 1000;
    return fmt::format("{}:{:02}", seconds / 60, seconds % 60);
}

std::int64_t milliseconds(std::chrono::nanoseconds duration) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
}

const char* direction(StepKind kind) {
    switch (kind) {
        case StepKind::Upgrade:
            return "upgrade";
        case StepKind::Downgrade:
            return "downgrade";
        case StepKind::Stamp:
            return "stamp";
    }
    return "upgrade";
}

}  // namespace

void print_json(std::ostream& out, const MigrationResult& result, const std::string& command) {
    auto steps = nlohmann::json::array();
    for (const auto& step : result.steps) {
        steps.push_back({
            {"direction", direction(step.kind)},
            {"revision",
             step.kind == StepKind::Stamp ? nlohmann::json(nullptr) : nlohmann::json(step.revision)},
            {"from", step.from},
            {"to", step.to},
            {"message", step.message},
            {"duration_ms", milliseconds(step.duration)},
        });
    }
    const nlohmann::json document{
        {"schema_version", json_schema_version},
        {"command", command},
        {"changed", result.changed()},
        {"heads_before", result.heads_before},
        {"heads_after", result.heads_after},
        {"checkpoint", result.checkpoint ? nlohmann::json(*result.checkpoint) : nlohmann::json(nullptr)},
        {"steps", std::move(steps)},
        {"duration_ms", milliseconds(result.duration)},
    };
    out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

std::string format_duration(std::int64_t milliseconds) {
    if (milliseconds < 60'000) return fmt::format("{:.1f} s", static_cast<double>(milliseconds) / 1000.0);
    return fmt::format("{} min {} s", milliseconds / 60'000, (milliseconds % 60'000) / 1000);
}

Progress::Progress(std::ostream& err, ProgressStyle style, std::size_t total, std::size_t width)
    : err_(err), style_(style), total_(total), width_(width), begin_(std::chrono::steady_clock::now()) {}

Progress::~Progress() {
    if (line_shown_) err_ << "\r\x1b[K" << std::flush;
}

void Progress::step_started(const std::string& announcement) {
    ++started_;
    const auto counter = fmt::format("[{}/{}]", started_, total_);
    if (style_ == ProgressStyle::Lines) {
        log::info("{} {}", counter, announcement);
        return;
    }
    if (style_ != ProgressStyle::Live) return;
    const auto elapsed = since(begin_);
    std::string timing = fmt::format("  {} elapsed", clock_text(elapsed));
    if (started_ > 1) {
        const auto done = static_cast<std::int64_t>(started_ - 1);
        const auto left = static_cast<std::int64_t>(total_) - done;
        timing += fmt::format(", ETA {}", clock_text(elapsed / done * left));
    }
    // The announcement is cut so that the line never wraps: a wrapped line cannot be rewritten by \r.
    std::string text = util::printable(fmt::format("{} {}", counter, announcement));
    const std::size_t room = width_ > timing.size() + 1 ? width_ - timing.size() - 1 : 0;
    if (text.size() > room) text = text.substr(0, room > 3 ? room - 3 : 0) + "...";
    err_ << "\r\x1b[K" << text << timing << std::flush;
    line_shown_ = true;
}

void Progress::finish() {
    if (line_shown_) {
        err_ << "\r\x1b[K" << std::flush;
        line_shown_ = false;
    }
}

std::int64_t Progress::elapsed_ms() const {
    return since(begin_);
}

}  // namespace migrator::render
