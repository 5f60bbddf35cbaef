#pragma once
// Compares the checksums recorded in the history table with the applied scripts on disk.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/history_table.hpp"

namespace migrator::script {
class RevisionMap;
class ScriptFiles;
}  // namespace migrator::script

namespace migrator::runtime {

/// What became of an applied revision's script.
enum class ScriptState {
    Unchanged,          // both sections as recorded
    Edited,             // the upgrade section differs from the recorded one
    DowngradeEdited,    // only the downgrade section differs (a warning, not drift that blocks)
    Missing,            // the database names a revision no script defines
    NoChecksumRecorded  // applied before the history table (Alembic, stamp, older migrator)
};

/// One applied revision.
struct RevisionIntegrity {
    std::string revision;
    std::string path;  // empty when Missing
    ScriptState state = ScriptState::Unchanged;
    std::optional<std::string> recorded_upgrade;
    std::optional<std::string> recorded_downgrade;
    std::optional<std::string> current_upgrade;  // none when Missing
    std::optional<std::string> current_downgrade;
};

/// Every applied revision, bases first; missing ones (not in the map) first of all.
struct IntegrityReport {
    std::vector<RevisionIntegrity> revisions;

    /// Whether any revision is Edited or Missing.
    [[nodiscard]] bool has_drift() const;
    /// The entries in one state.
    [[nodiscard]] std::vector<const RevisionIntegrity*> in_state(ScriptState state) const;
};

/// `version_rows` are the version table's rows as stored (ids no script defines count as Missing);
/// the applied revisions are those and their ancestors, dependencies included. Each applied script is
/// read through `files`; one that cannot be read or parsed is an Error naming it.
IntegrityReport check_integrity(const script::RevisionMap& revisions,
                                const std::vector<std::string>& version_rows,
                                const std::map<std::string, RecordedChecksums>& recorded,
                                const script::ScriptFiles& files);

/// "edited", "downgrade edited", "missing", "no checksum recorded", "ok".
std::string_view state_name(ScriptState state);

}  // namespace migrator::runtime
