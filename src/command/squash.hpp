#pragma once
// `migrator squash REV -m MSG`: write a checkpoint, the whole schema at REV, for fresh databases.

#include <filesystem>
#include <string>

#include "command/command.hpp"

namespace migrator::command {

/// What to do about statements in base..REV that change data, which a schema snapshot cannot carry.
enum class DataChanges { Refuse, LeaveOut };

/// Options of `squash`.
struct SquashOptions {
    std::string revision;
    std::string message;
    DataChanges data_changes = DataChanges::Refuse;  // --schema-only: LeaveOut
};

/// Registers `squash`.
CommandAction setup_squash(CLI::App& root, Workspace& workspace);

/// Replays base..REV in a scratch database of the configured dialect, reads the schema back and writes
/// <script_location>/checkpoints/<REV>_<dialect>.sql; returns its path.
std::filesystem::path run_squash(Workspace& workspace, const SquashOptions& options);

}  // namespace migrator::command
