#pragma once
// Which checkpoint a fresh database can start from, and what is left to replay after it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection.hpp"
#include "dialect/dialect.hpp"
#include "runtime/plan.hpp"
#include "runtime/version_table.hpp"
#include "script/revision_map.hpp"
#include "script/script.hpp"

namespace migrator::runtime {

/// A checkpoint to run instead of the steps up to `revision`, and the plan that follows it.
struct CheckpointChoice {
    std::string revision;
    std::size_t skipped_steps = 0;  // steps of the full plan the checkpoint stands for
    Plan rest;                      // from `revision` to the target
};

/// The checkpoint among `checkpoints` (revision ids) that skips the most of `full` (a plan from base to
/// `target`): one whose revision and every ancestor are exactly the steps of `full` that the rest of the
/// way to the target does not run. Nullopt when none qualifies. A checkpoint naming a revision no
/// script defines is an Error naming `directory_name`.
std::optional<CheckpointChoice> choose_checkpoint(const script::RevisionMap& map, const Plan& full,
                                                  std::string_view target,
                                                  const std::vector<std::string>& checkpoints,
                                                  std::string_view directory_name);

/// Runs a checkpoint's statements on a database without a version table, then creates the table and
/// records `revision`, all in one transaction (DDL commits by itself on MySQL). A failing statement
/// rolls back and throws Error "<path>:<line>: <statement>: <database message>".
void apply_checkpoint(db::Connection& connection, const dialect::Dialect& dialect, VersionTable& versions,
                      const std::vector<script::Statement>& statements, std::string_view revision,
                      std::string_view path);

}  // namespace migrator::runtime
