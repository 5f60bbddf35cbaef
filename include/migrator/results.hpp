#pragma once
// What the commands return: the same structs for the embedding API (<migrator/migrator.hpp>) and for the
// command line, whose renderers print them as text or JSON (docs/json.md). Standard C++17 only.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migrator {

/// What one step did.
enum class StepKind {
    Upgrade,    // ran a script's upgrade section
    Downgrade,  // ran a script's downgrade section
    Stamp,      // moved the version table without running SQL
};

/// A step that completed (its transaction committed).
struct AppliedStep {
    StepKind kind = StepKind::Upgrade;
    std::string revision;                  // the script's revision; empty for a stamp
    std::vector<std::string> from;         // the version-table rows it replaced or removed
    std::vector<std::string> to;           // the rows it wrote
    std::string message;                   // the script's message; empty for a stamp
    std::chrono::nanoseconds duration{0};  // from the step's start to its commit
};

/// What upgrade, downgrade or stamp did.
struct MigrationResult {
    std::vector<std::string> heads_before;  // the version table's revisions before the call
    std::vector<std::string> heads_after;   // and after it
    std::vector<AppliedStep> steps;         // in the order they ran; empty when there was nothing to do
    /// The checkpoint file a fresh database started from (docs/checkpoints.md); its revision is where
    /// `steps` begin.
    std::optional<std::string> checkpoint;
    std::chrono::nanoseconds duration{0};  // the whole run
    [[nodiscard]] bool changed() const { return !steps.empty() || checkpoint.has_value(); }
};

/// One revision of the scripts, as current, heads, history and the other listings report it.
struct Revision {
    std::string revision;  // the id
    std::vector<std::string> down_revisions;
    std::vector<std::string> depends_on;
    std::vector<std::string> branch_labels;
    std::vector<std::string> next_revisions;  // the revisions based on it
    std::string message;
    std::string create_date;
    std::string path;           // the script's file (an embedded script: its name in the bundle)
    bool is_head = false;       // nothing is based on it (Alembic's effective head)
    bool is_real_head = false;  // nor depends on it
    bool is_base = false;
    bool is_branch_point = false;
    bool is_merge_point = false;
    bool is_current = false;  // a row of the version table names it
    /// No row names it, but a row depends on it and nothing applied is based on it.
    bool is_effective_head = false;
};

/// One row of the history table (docs/integrity.md): a step that ran or failed, or an accepted checksum,
/// as `log` prints it. Every column is given as stored, so rows written by older versions read back too.
struct HistoryEntry {
    std::int64_t id = 0;
    std::string revision;
    std::string direction;                          // "upgrade", "downgrade", "stamp" or "accept"
    std::optional<std::string> upgrade_checksum;    // "sha256:<hex>"; none for a stamp
    std::optional<std::string> downgrade_checksum;  // likewise
    std::string started_at;                         // UTC, ISO-8601 with milliseconds
    std::optional<std::int64_t> duration_ms;
    std::string outcome;  // "success" or "failed"
    std::optional<std::string> error;
    std::string actor;  // user@host, or MIGRATOR_ACTOR
    std::string migrator_version;
};

}  // namespace migrator
