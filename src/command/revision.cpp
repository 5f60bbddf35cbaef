#include "migrator/command/revision.hpp"

#include <fmt/ostream.h>
#include <CLI/CLI.hpp>

#include "migrator/command/autogenerate.hpp"
#include "migrator/command/new_revision.hpp"
#include "migrator/dialect/ddl.hpp"
#include "migrator/render/change_report.hpp"
#include "migrator/render/operation_listing.hpp"
#include "migrator/util/strings.hpp"

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
    command->add_flag(
        "--autogenerate", [options](std::int64_t) { options->autogenerate = Autogenerate::On; },
        "Write the upgrade and downgrade SQL from the difference between the models (migrator.yaml's "
        "'models:') and the database, which must be at the new revision's parent");
    add_format_option(*command, options->format, workspace);
    return [options, &workspace] {
        // Compared with an empty database when the SQLite file is missing; the file is not created.
        workspace.options().database_creation = DatabaseCreation::EmptyInMemory;
        const auto result = run_revision(workspace, *options);
        if (options->format == render::OutputFormat::Json) {
            render::ChangeReport report{"revision", {}, {}, std::nullopt};
            if (result.path) {
                report.created.push_back(result.path->string());
                report.script = render::NewScriptReport{result.path->string(), result.revision,
                                                        result.down_revisions, options->message};
            }
            render::print_json(workspace.out(), report);
            return ExitCode::Ok;
        }
        if (!result.path) {
            fmt::print(workspace.out(), "no changes detected\n");
            return ExitCode::Ok;
        }
        if (!result.operations.empty()) {
            fmt::print(workspace.out(), "Detected:\n");
            render::print_operations_text(workspace.out(), result.operations);
        }
        fmt::print(workspace.out(), "Generating {} ... done\n", result.path->string());
        return ExitCode::Ok;
    };
}

namespace {

// Review notes come as their own "-- " elements and are kept as comment lines above their statements.
std::string as_script_sql(const std::vector<std::string>& statements) {
    std::string sql;
    bool after_statement = false;
    for (const auto& statement : statements) {
        const bool note = statement.starts_with("-- ");
        if (after_statement) sql += "\n";
        sql += note ? statement + "\n" : statement + ";\n";
        after_statement = !note;
    }
    return sql;
}

}  // namespace

RevisionResult run_revision(Workspace& workspace, const RevisionOptions& options) {
    NewRevision request;
    request.message = options.message;
    request.down_revisions = workspace.revisions().parents_for_new_revision(
        options.head, options.splice ? script::SpliceMode::Splice : script::SpliceMode::NoSplice);
    request.branch_labels = options.branch_labels;
    request.depends_on = options.depends_on;
    request.version_path = options.version_path;
    request.rev_id = options.rev_id;

    RevisionResult result;
    if (options.autogenerate == Autogenerate::On) {
        auto comparison = compare_models_with_database(workspace, request.down_revisions);
        if (comparison.operations.empty()) return result;
        const auto& dialect = workspace.dialect();
        request.upgrade_sql = as_script_sql(dialect::render_operations(
            dialect, comparison.database, comparison.models, comparison.operations));
        request.downgrade_sql = as_script_sql(dialect::render_operations(
            dialect, comparison.models, comparison.database, schema::invert(comparison.operations)));
        result.operations = std::move(comparison.operations);
    }
    auto written = write_new_revision(workspace, request);
    result.path = std::move(written.path);
    result.revision = std::move(written.revision);
    result.down_revisions = request.down_revisions;
    return result;
}

}  // namespace migrator::command
