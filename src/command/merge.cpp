#include "migrator/command/merge.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <CLI/CLI.hpp>

#include <unordered_set>

#include "migrator/command/new_revision.hpp"

namespace migrator::command {

CommandAction setup_merge(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<MergeOptions>();
    auto* command = root.add_subcommand("merge", "Merge two or more heads into one with a new script");
    command->add_option("-m,--message", options->message, "What the merge is for")->required();
    command->add_option("revisions", options->revisions, "The heads to merge, or 'heads' for all of them")
        ->required();
    command->add_option("--branch-label", options->branch_labels, "A branch label for the merge revision")
        ->allow_extra_args(false);
    command->add_option("--rev-id", options->rev_id, "Use this revision id instead of a generated one");
    add_format_option(*command, options->format, workspace);
    return [options, &workspace] {
        auto script = run_merge(workspace, *options);
        if (options->format == render::OutputFormat::Json) {
            render::print_json(workspace.out(),
                               render::ChangeReport{"merge", {script.path}, {}, std::move(script)});
            return ExitCode::Ok;
        }
        fmt::print(workspace.out(), "Generating {} ... done\n", script.path);
        return ExitCode::Ok;
    };
}

render::NewScriptReport run_merge(Workspace& workspace, const MergeOptions& options) {
    const auto& revisions = workspace.revisions();
    const auto parents = revisions.resolve_all(options.revisions);
    std::unordered_set<std::string> distinct(parents.begin(), parents.end());
    if (distinct.size() != parents.size()) throw Error("duplicate head revisions specified for merge");
    if (parents.size() < 2) {
        throw Error(fmt::format("merge needs at least two heads; '{}' resolves to {}",
                                fmt::join(options.revisions, " "), fmt::join(parents, ", ")));
    }
    for (const auto& parent : parents) {
        if (!revisions.find(parent)->is_head()) {
            throw Error(fmt::format("revision {} is not a head revision; only heads can be merged", parent));
        }
    }
    NewRevision request;
    request.message = options.message;
    request.down_revisions = parents;
    request.branch_labels = options.branch_labels;
    request.rev_id = options.rev_id;
    auto written = write_new_revision(workspace, request);
    return {written.path.string(), std::move(written.revision), parents, options.message};
}

}  // namespace migrator::command
