#include "migrator/command/init.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <CLI/CLI.hpp>

#include "migrator/script/script_writer.hpp"
#include "migrator/util/files.hpp"

namespace migrator::command {

namespace fs = std::filesystem;

namespace {

std::string starter_config(const fs::path& script_location) {
    return fmt::format(
        "# migrator configuration. Every key is explained in migrator.yaml.example and "
        "docs/configuration.md.\n"
        "script_location: {}\n"
        "\n"
        "database:\n"
        "  # SQLAlchemy-style URL: sqlite:///relative.db, postgresql://user:pass@host/db, mysql://...\n"
        "  # The DATABASE_URL environment variable and --url override it.\n"
        "  url: sqlite:///app.db\n"
        "\n"
        "# version_table: migrator_version   # set alembic_version to adopt a database Alembic manages\n"
        "# transaction_per_migration: true\n",
        script_location.generic_string());
}

}  // namespace

CommandAction setup_init(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<InitOptions>();
    auto* command = root.add_subcommand("init", "Create a new script directory and a starter migrator.yaml");
    command->add_option("directory", options->directory, "The script directory to create, e.g. migrations")
        ->required();
    add_format_option(*command, options->format, workspace);
    return [options, &workspace] {
        const auto report = run_init(workspace, *options);
        auto& out = workspace.out();
        if (options->format == render::OutputFormat::Json) {
            render::print_json(out, report);
            return ExitCode::Ok;
        }
        fmt::print(out, "Creating directory {} ... done\n", report.created.front());
        for (std::size_t i = 1; i < report.created.size(); ++i)
            fmt::print(out, "Generating {} ... done\n", report.created[i]);
        for (const auto& file : report.existing) fmt::print(out, "File {} already exists, skipping\n", file);
        if (report.existing.empty())
            fmt::print(out, "Please edit the database URL in {} before proceeding.\n", report.created.back());
        return ExitCode::Ok;
    };
}

render::ChangeReport run_init(Workspace& workspace, const InitOptions& options) {
    const fs::path directory = fs::absolute(options.directory).lexically_normal();
    std::error_code ec;
    if (fs::exists(directory, ec) && !fs::is_empty(directory, ec)) {
        throw Error(
            fmt::format("directory '{}' already exists and is not empty", options.directory.string()));
    }
    render::ChangeReport report{"init", {directory.string()}, {}, std::nullopt};
    fs::create_directories(directory / "versions", ec);
    if (ec) throw Error(fmt::format("cannot create '{}': {}", directory.string(), ec.message()));

    const auto template_path = directory / "script.sql.tmpl";
    util::write_new_file(template_path, script::default_script_template());
    report.created.push_back(template_path.string());

    const fs::path config_file = fs::absolute(workspace.options().config_file).lexically_normal();
    if (fs::exists(config_file, ec)) {
        report.existing.push_back(config_file.string());
        return report;
    }
    util::write_new_file(config_file,
                         starter_config(directory.lexically_relative(config_file.parent_path())));
    report.created.push_back(config_file.string());
    return report;
}

}  // namespace migrator::command
