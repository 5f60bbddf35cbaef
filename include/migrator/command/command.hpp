#pragma once
// The shape every command file follows (CLI11's subcommands-in-files): an options struct,
// `setup_<name>(CLI::App&, Workspace&)` that registers the subcommand and returns its action,
// and `run_<name>(Workspace&, const Options&)` that does the work.

#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "migrator/command/workspace.hpp"
#include "migrator/render/revision_listing.hpp"
#include "migrator/util/error.hpp"

namespace CLI {
class App;
}

namespace migrator::command {

/// What a parsed subcommand runs once the whole command line has been parsed.
using CommandAction = std::function<ExitCode()>;

/// Registers one subcommand on the root app and returns the action to run when it is chosen.
using CommandSetup = CommandAction (*)(CLI::App& root, Workspace& workspace);

/// Adds `--format text|json` to a command; the choice is also kept in the global options, so that an
/// error is reported in the same format.
void add_format_option(CLI::App& command, render::OutputFormat& format, Workspace& workspace);

/// A revision as reported to users; `current` holds the database's heads.
render::RevisionEntry describe(const script::Revision& revision,
                               const std::unordered_set<std::string>& current);

/// The version table's rows, without creating the table; an id that no script defines is an Error.
std::vector<std::string> read_current_heads(Workspace& workspace);

/// Alembic get_all_current: the rows' revisions and those the rows reach through depends_on, kept where
/// nothing applied is based on them. Rows first in table order, then the others in file order.
std::vector<const script::Revision*> all_current(const script::RevisionMap& revisions,
                                                 const std::vector<std::string>& rows);

/// The revisions a database is at, for messages: "base" when none, else the ids joined with ", ".
std::string describe_heads(const std::vector<std::string>& heads);

/// Whether two lists of revision ids name the same revisions, in any order.
bool same_revisions(std::vector<std::string> a, std::vector<std::string> b);

/// Prints a listing in the chosen format.
void print_listing(Workspace& workspace, const render::RevisionListing& listing, render::OutputFormat format,
                   render::Detail detail, const render::TextColumns& columns);

}  // namespace migrator::command
