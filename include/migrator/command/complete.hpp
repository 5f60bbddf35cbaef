#pragma once
// `migrator __complete`: the words the shell completion scripts (share/completions/) offer, read live from
// the command definitions and the project, so completion never drifts from `--help` or the scripts.
// Hidden from `--help`: it is for the completion scripts, not for people.

#include <string>
#include <vector>

#include "migrator/command/command.hpp"

namespace migrator::command {

/// What `__complete` lists, one word a line.
enum class CompletionList {
    Commands,   // the subcommands
    Options,    // a subcommand's options, then the global ones
    Valued,     // those of Options that take a value
    Revisions,  // the target words: head, heads, base, each id, each branch label and LABEL@head
};

/// Options of `__complete`.
struct CompleteOptions {
    CompletionList list = CompletionList::Commands;
    std::string command;  // for Options; empty: the global options only
};

/// Registers the hidden `__complete`.
CommandAction setup_complete(CLI::App& root, Workspace& workspace);

/// The target words of the project's scripts (no database is read).
std::vector<std::string> run_complete_revisions(Workspace& workspace);

}  // namespace migrator::command
