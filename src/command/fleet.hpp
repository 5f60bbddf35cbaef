#pragma once
// A command run on a fleet of databases (docs/fleets.md): `--all-targets` or `--target NAME`, up to `-j N`
// at once. Each target runs on a workspace of its own, on a thread of its own, so it gets its own
// connection, lock, transactions and history exactly as a single run would.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "command/command.hpp"

namespace CLI {
class App;
}

namespace migrator::command {

/// Whether `--all-targets` was given.
enum class AllTargets { Off, On };

/// Whether `--fail-fast` was given: no target starts after one failed.
enum class FailFast { Off, On };

/// Which targets a command runs on; none selected means the one database of the config.
struct TargetSelection {
    AllTargets all = AllTargets::Off;
    std::vector<std::string> names;   // --target NAME, repeatable
    std::optional<std::size_t> jobs;  // -j N
    FailFast fail_fast = FailFast::Off;
    [[nodiscard]] bool any() const { return all == AllTargets::On || !names.empty(); }
};

/// One command's work on one database: prints its result on workspace.out(), returns its exit code.
using TargetAction = std::function<ExitCode(Workspace& workspace)>;

/// Adds --all-targets, --target NAME, -j N and --fail-fast.
void add_target_options(CLI::App& command, TargetSelection& selection);

/// Refuses a selection together with --sql or --dry-run, whose SQL is for one database.
void check_fleet_output(const TargetSelection& selection, bool prints_sql);

/// Without a selection, runs `action` on `workspace`. Otherwise runs it on each selected target of
/// `workspace`'s config (up to -j at once; the rest go on after a failure unless --fail-fast), shows
/// their progress, prints their outputs (text prefixed with the target's name, or one JSON document with
/// a record per target) and the summary. Exit: Error when any target failed, else NotUpToDate when any
/// answered no, else Ok. Bad targets (an unknown name, a URL that does not parse) fail before any runs.
ExitCode run_on_targets(Workspace& workspace, const TargetSelection& selection, const std::string& command,
                        render::OutputFormat format, const TargetAction& action);

}  // namespace migrator::command
