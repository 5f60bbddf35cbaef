#pragma once
// What an upgrade, downgrade or stamp will do, computed from the revision map alone.
// The runtime executes a Plan; offline `--sql` renders the same Plan.

#include <string>
#include <string_view>
#include <vector>

namespace migrator::script {
class Revision;
}

namespace migrator::runtime {

/// Whether statements reach a live database or are printed as a script.
enum class Mode { Online, Offline };

/// Which way a step moves the schema.
enum class Direction { Upgrade, Downgrade };

/// What a step does to the version table. Purge deletes every row (stamp --purge), duplicates included.
enum class VersionChangeKind { Insert, Update, Delete, Purge };

/// One row change in the version table: Insert uses `to`, Delete uses `from`, Update both. A purge step
/// has one Purge change per row it finds, each naming it in `from`; the first one empties the table. The ids
/// view the revision map's ids, or the plan's heads_before for rows no script defines (stamp --purge).
struct VersionChange {
    VersionChangeKind kind = VersionChangeKind::Update;
    std::string_view from;
    std::string_view to;
    bool operator==(const VersionChange&) const = default;
};

/// Running one script's section (or, for a stamp, none) and then the version-table changes.
struct MigrationStep {
    const script::Revision* revision = nullptr;  // null for a stamp step, which runs no SQL
    Direction direction = Direction::Upgrade;
    std::vector<VersionChange> version_changes;
};

/// An ordered list of steps plus the heads the version table holds afterwards. Move-only: its steps'
/// version changes may view its heads_before.
struct Plan {
    Plan() = default;
    Plan(Plan&&) noexcept = default;
    Plan& operator=(Plan&&) noexcept = default;
    Plan(const Plan&) = delete;
    Plan& operator=(const Plan&) = delete;
    ~Plan() = default;

    std::vector<MigrationStep> steps;
    std::vector<std::string> heads_before;
    std::vector<std::string> heads_after;
};

}  // namespace migrator::runtime
