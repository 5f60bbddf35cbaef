#pragma once
// Turns (current heads, target) into a Plan: the steps Alembic would run and the exact version-table
// row changes its HeadMaintainer makes (alembic/runtime/migration.py, alembic/script/base.py).

#include <string>
#include <string_view>
#include <vector>

#include "runtime/plan.hpp"
#include "script/revision_map.hpp"

namespace migrator::runtime {

/// Alembic `upgrade TARGET` from `current_heads` (the version table rows, in table order).
Plan plan_upgrade(const script::RevisionMap& map, const std::vector<std::string>& current_heads,
                  std::string_view target);

/// Resolves what an upgrade target names without the current heads (revisions, prefixes, labels), throwing
/// as plan_upgrade would for an unknown one, so that a mistyped target fails before anything connects.
void check_upgrade_target(const script::RevisionMap& map, std::string_view target);

/// Alembic `downgrade TARGET`; a target that is not below the current heads is an error.
Plan plan_downgrade(const script::RevisionMap& map, const std::vector<std::string>& current_heads,
                    std::string_view target);

/// Whether `stamp --purge` empties the version table first.
enum class StampPurge { Keep, Purge };

/// Alembic `stamp TARGET` (ScriptDirectory._stamp_revs + StampStep); steps carry no script.
Plan plan_stamp(const script::RevisionMap& map, const std::vector<std::string>& current_heads,
                std::string_view target, StampPurge purge);

/// `stamp` with several targets, as `alembic stamp a b` accepts.
Plan plan_stamp(const script::RevisionMap& map, const std::vector<std::string>& current_heads,
                const std::vector<std::string>& targets, StampPurge purge);

/// An offline (--sql) range: the heads assumed to be current and the target.
struct OfflineRange {
    std::vector<std::string> start_heads;  // empty for "base" or when no START was given
    std::string end;
};

/// "START:END" for --sql (offline): START may be "base" or any revision identifier; plain "END" starts
/// from base.
OfflineRange resolve_offline_range(const script::RevisionMap& map, std::string_view range);

}  // namespace migrator::runtime
