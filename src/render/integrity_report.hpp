#pragma once
// What `verify`, `status` and `log` report, as text or JSON.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "migrator/results.hpp"

namespace migrator::render {

/// One applied revision compared with its recorded checksums.
struct VerifyEntry {
    std::string revision;
    std::string path;   // empty when the script is missing
    std::string state;  // "ok", "edited", "downgrade edited", "missing", "no checksum recorded"
    std::optional<std::string> recorded_upgrade;
    std::optional<std::string> current_upgrade;
    std::optional<std::string> recorded_downgrade;
    std::optional<std::string> current_downgrade;
};

/// `verify`'s answer.
struct VerifyReport {
    std::vector<VerifyEntry> entries;   // every applied revision
    std::vector<std::string> accepted;  // revisions whose checksums --accept recorded
    bool drift = false;                 // an edited upgrade section or a missing script
};

/// One step `upgrade heads` would run.
struct PendingStep {
    std::string revision;
    std::string message;
    std::string path;
};

/// `status`'s answer.
struct StatusReport {
    std::string database;                             // the URL, password hidden
    std::vector<std::string> current;                 // the version table's rows
    std::vector<std::string> heads;                   // the scripts' heads
    std::optional<std::vector<PendingStep>> pending;  // none when a current revision has no script
    std::vector<VerifyEntry> problems;                // applied revisions not "ok"
    bool history_recorded = false;                    // whether the history table exists
    std::vector<HistoryEntry> recent;                 // newest first
};

/// `verify` as lines: one per revision that is not ok, then a summary line.
void print_text(std::ostream& out, const VerifyReport& report);
/// `verify` as one JSON object.
void print_json(std::ostream& out, const VerifyReport& report);
/// `log` as one line per row (and its error, indented, below it).
void print_text(std::ostream& out, const std::vector<HistoryEntry>& entries);
/// `log` as a JSON object {"log": [...]}.
void print_json(std::ostream& out, const std::vector<HistoryEntry>& entries);
/// `status` as a short screen.
void print_text(std::ostream& out, const StatusReport& report);
/// `status` as one JSON object.
void print_json(std::ostream& out, const StatusReport& report);

}  // namespace migrator::render
