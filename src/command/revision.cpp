#include "migrator/command/revision.hpp"

#include <fmt/ostream.h>
#include <CLI/CLI.hpp>

#include "migrator/command/new_revision.hpp"

namespace migrator::command {

CommandAction setup_revision(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<RevisionOptions>();
    auto* command = root.add_subcommand("revision", "Create a new migration script");
    command->add_option("-m,--message", options->message, "What the migration does")->required();
    command->add_option(
        "--head", options->head,
        "The revision to base the new one on: head (default), base for a new root, BRANCH@head, or "
        "any revision with --splice");
    command->add_flag("--splice", options->splice,
                      "Allow --head to name a revision that is not a head (a new branch)");
    command->add_option("--branch-label", options->branch_labels, "A branch label for the new revision")
        ->allow_extra_args(false);
    command
        ->add_option("--depends-on", options->depends_on, "A revision or branch label the new one depends on")
        ->allow_extra_args(false);
    command->add_option("--version-path", options->version_path,
                        "Which of the version_locations to write the script into");
    command->add_option("--rev-id", options->rev_id, "Use this revision id instead of a generated one");
    return [options, &workspace] {
        const auto path = run_revision(workspace, *options);
        fmt::print(workspace.out(), "Generating {} ... done\n", path.string());
        return ExitCode::Ok;
    };
}

std::filesystem::path run_revision(Workspace& workspace, const RevisionOptions& options) {
    NewRevision request;
    request.message = options.message;
    request.down_revisions = workspace.revisions().parents_for_new_revision(
        options.head, options.splice ? script::SpliceMode::Splice : script::SpliceMode::NoSplice);
    request.branch_labels = options.branch_labels;
    request.depends_on = options.depends_on;
    request.version_path = options.version_path;
    request.rev_id = options.rev_id;
    return write_new_revision(workspace, request);
}

}  // namespace migrator::command
