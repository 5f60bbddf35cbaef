#include <fmt/format.h>
#include <fmt/ostream.h>

#include <ostream>

#include "render/integrity_report.hpp"
#include "util/strings.hpp"

namespace migrator::render {

namespace {

std::string where(const VerifyEntry& entry) {
    if (entry.path.empty()) return fmt::format("revision {} (script missing)", entry.revision);
    return fmt::format("{} (revision {})", entry.path, entry.revision);
}

std::size_t count_state(const std::vector<VerifyEntry>& entries, std::string_view state) {
    std::size_t count = 0;
    for (const auto& entry : entries) count += entry.state == state ? 1U : 0U;
    return count;
}

void print_problems(std::ostream& out, const std::vector<VerifyEntry>& entries, std::string_view indent) {
    for (const auto& entry : entries) {
        if (entry.state == "ok") continue;
        fmt::print(out, "{}{}: {}\n", indent, entry.state, where(entry));
    }
}

void print_log_entry(std::ostream& out, const HistoryEntry& entry) {
    fmt::print(out, "{}  {:<9}  {}  {:<7}  {:>6}  {}  migrator {}\n", entry.started_at, entry.direction,
               entry.revision, entry.outcome,
               entry.duration_ms ? fmt::format("{} ms", *entry.duration_ms) : std::string("-"), entry.actor,
               entry.migrator_version);
    if (entry.error) fmt::print(out, "    error: {}\n", *entry.error);
}

}  // namespace

void print_text(std::ostream& out, const VerifyReport& report) {
    for (const auto& revision : report.accepted) fmt::print(out, "accepted: revision {}\n", revision);
    print_problems(out, report.entries, "");
    const auto edited = count_state(report.entries, "edited");
    const auto missing = count_state(report.entries, "missing");
    const auto downgrade = count_state(report.entries, "downgrade edited");
    const auto unrecorded = count_state(report.entries, "no checksum recorded");
    fmt::print(
        out,
        "{}: {} applied revision(s); {} edited, {} missing, {} downgrade edited, {} no checksum recorded\n",
        report.drift ? "drift" : "clean", report.entries.size(), edited, missing, downgrade, unrecorded);
}

void print_text(std::ostream& out, const std::vector<HistoryEntry>& entries) {
    for (const auto& entry : entries) print_log_entry(out, entry);
}

void print_text(std::ostream& out, const StatusReport& report) {
    fmt::print(out, "database: {}\n", report.database);
    fmt::print(out, "current:  {}\n",
               report.current.empty() ? std::string("base") : util::join(report.current));
    fmt::print(out, "heads:    {}\n", report.heads.empty() ? std::string("none") : util::join(report.heads));
    if (!report.pending) {
        fmt::print(out, "pending:  unknown (the database is at a revision no script defines)\n");
    } else if (report.pending->empty()) {
        fmt::print(out, "pending:  none\n");
    } else {
        fmt::print(out, "pending:  {} step(s)\n", report.pending->size());
        for (const auto& step : *report.pending) {
            fmt::print(out, "  {} {}{}\n", step.revision, step.message,
                       step.path.empty() ? std::string() : fmt::format(" ({})", step.path));
        }
    }
    if (report.problems.empty()) {
        fmt::print(out, "scripts:  applied scripts match their recorded checksums\n");
    } else {
        fmt::print(out, "scripts:\n");
        print_problems(out, report.problems, "  ");
    }
    if (!report.history_recorded) {
        fmt::print(out, "history:  none recorded\n");
    } else {
        fmt::print(out, "history:  last {} row(s), newest first\n", report.recent.size());
        for (const auto& entry : report.recent) {
            out << "  ";
            print_log_entry(out, entry);
        }
    }
}

}  // namespace migrator::render
