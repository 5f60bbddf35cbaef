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
    return [options, &workspace] {
        run_init(workspace, *options);
        return ExitCode::Ok;
    };
}

void run_init(Workspace& workspace, const InitOptions& options) {
    const fs::path directory = fs::absolute(options.directory).lexically_normal();
    std::error_code ec;
    if (fs::exists(directory, ec) && !fs::is_empty(directory, ec)) {
        throw Error(
            fmt::format("directory '{}' already exists and is not empty", options.directory.string()));
    }
    auto& out = workspace.out();
    fmt::print(out, "Creating directory {} ... done\n", directory.string());
    fs::create_directories(directory / "versions", ec);
    if (ec) throw Error(fmt::format("cannot create '{}': {}", directory.string(), ec.message()));

    const auto template_path = directory / "script.sql.tmpl";
    fmt::print(out, "Generating {} ... done\n", template_path.string());
    util::write_new_file(template_path, script::default_script_template());

    const fs::path config_file = fs::absolute(workspace.options().config_file).lexically_normal();
    if (fs::exists(config_file, ec)) {
        fmt::print(out, "File {} already exists, skipping\n", config_file.string());
        return;
    }
    fmt::print(out, "Generating {} ... done\n", config_file.string());
    util::write_new_file(config_file,
                         starter_config(directory.lexically_relative(config_file.parent_path())));
    fmt::print(out, "Please edit the database URL in {} before proceeding.\n", config_file.string());
}

}  // namespace migrator::command
