#include "migrator/command/autogenerate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "migrator/autogenerate/compare.hpp"
#include "migrator/autogenerate/desired_state.hpp"
#include "migrator/autogenerate/inspector.hpp"
#include "migrator/autogenerate/model_file.hpp"
#include "migrator/command/command.hpp"
#include "migrator/db/connect.hpp"
#include "migrator/util/error.hpp"
#include "migrator/util/strings.hpp"

namespace migrator::command {

namespace {

namespace fs = std::filesystem;

enum class ModelForm { Yaml, Sql };

ModelForm model_form(const fs::path& file) {
    std::string extension = file.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension == ".yaml" || extension == ".yml") return ModelForm::Yaml;
    if (extension == ".sql") return ModelForm::Sql;
    throw Error(fmt::format(
        "models: '{}' must end in .yaml, .yml (a model file) or .sql (a desired-state file)", file.string()));
}

std::string read_models(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(fmt::format("models: cannot read '{}'", file.string()));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Messages name the models file as the user would type it: relative to the working directory when inside it.
std::string shown_path(const fs::path& file) {
    std::error_code error;
    const auto relative = fs::relative(file, fs::current_path(), error);
    if (error || relative.empty() || *relative.begin() == "..") return file.string();
    return relative.string();
}

// Tables the filter rejects are left out of the models too, so that they are never created or dropped.
void apply_filter(schema::Schema& schema, const autogenerate::TableFilter& filter) {
    std::erase_if(schema.tables, [&](const schema::Table& table) { return !filter.accepts(table.name); });
}

void require_heads(Workspace& workspace, const std::vector<std::string>& expected_heads) {
    const auto current = read_current_heads(workspace);
    if (same_revisions(current, expected_heads)) return;
    throw Error(
        fmt::format("the database is not up to date: it is at {} but the models are compared at {}; run "
                    "'migrator upgrade head' first",
                    describe_heads(current), describe_heads(expected_heads)));
}

}  // namespace

autogenerate::TableFilter without_history_table(const config::Config& config,
                                                autogenerate::TableFilter filter) {
    std::string pattern;  // the name, matched literally
    for (const char c : config.history_table) {
        if (c == '*' || c == '?' || c == '[' || c == '\\') pattern += '\\';
        pattern += c;
    }
    filter.exclude.push_back(std::move(pattern));
    return filter;
}

SchemaComparison compare_models_with_database(Workspace& workspace,
                                              const std::optional<std::vector<std::string>>& expected_heads) {
    const auto& config = workspace.config();
    if (config.models.empty()) {
        throw Error(
            "no models configured: set 'models:' in " +
            (config.config_file.empty() ? std::string("migrator.yaml") : config.config_file.string()) +
            " to a .yaml model file or a .sql desired-state file (docs/autogenerate.md)");
    }
    const auto form = model_form(config.models);
    const std::string text = read_models(config.models);
    const std::string shown = shown_path(config.models);
    const auto& dialect = workspace.dialect();
    const autogenerate::TableFilter filter =
        without_history_table(config, {config.include_tables, config.exclude_tables});

    if (expected_heads) require_heads(workspace, *expected_heads);
    auto& connection = workspace.connection();

    SchemaComparison comparison;
    if (form == ModelForm::Yaml) {
        auto models = autogenerate::parse_model_file(text, shown, dialect.kind());
        if (!models) throw Error(models.error().message);
        comparison.models = std::move(*models);
    } else {
        const auto open_scratch = [] {
            auto url = config::parse_database_url("sqlite://");
            return db::connect(std::move(url).value_or_throw());
        };
        comparison.models =
            autogenerate::load_desired_state(text, shown, dialect, connection, open_scratch, filter);
    }
    apply_filter(comparison.models, filter);
    comparison.database = autogenerate::inspect_schema(connection, dialect, {}, config.version_table, filter);
    comparison.operations = autogenerate::compare_schemas(comparison.database, comparison.models, dialect);
    return comparison;
}

}  // namespace migrator::command
