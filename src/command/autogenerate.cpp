#include "command/autogenerate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <sstream>

#include "autogenerate/compare.hpp"
#include "autogenerate/desired_state.hpp"
#include "autogenerate/inspector.hpp"
#include "autogenerate/model_file.hpp"
#include "autogenerate/unsupported_objects.hpp"
#include "command/command.hpp"
#include "db/connect.hpp"
#include "db/locks.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace migrator::command {

namespace {

namespace fs = std::filesystem;

enum class ModelForm { Yaml, Sql };

ModelForm model_form(const fs::path& file) {
    const std::string extension = util::to_lower(file.extension().string());
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

std::string config_file_name(const config::Config& config) {
    return config.config_file.empty() ? std::string("migrator.yaml") : shown_path(config.config_file);
}

// Tables the filter rejects are left out of the models too, so that they are never created or dropped.
void apply_filter(schema::Schema& schema, const autogenerate::TableFilter& filter) {
    std::erase_if(schema.tables, [&](const schema::Table& table) { return !filter.accepts(table.name); });
    std::erase_if(schema.views, [&](const schema::View& view) { return !filter.accepts(view.name); });
    std::erase_if(schema.routines,
                  [&](const schema::Routine& routine) { return !filter.accepts(routine.name); });
    std::erase_if(schema.triggers, [&](const schema::Trigger& trigger) {
        return !filter.accepts(trigger.name) || !filter.accepts(trigger.table);
    });
    std::erase_if(schema.sequences,
                  [&](const schema::Sequence& sequence) { return !filter.accepts(sequence.name); });
    std::erase_if(schema.enum_types,
                  [&](const schema::EnumType& type) { return !filter.accepts(type.name); });
}

// A desired-state file is loaded into one scratch schema (or database), which cannot stand for several.
void refuse_include_schemas(const config::Config& config, ModelForm form, dialect::DialectKind dialect) {
    if (dialect == dialect::DialectKind::Sqlite) {
        throw Error(fmt::format("{}: include_schemas: SQLite has no schemas besides main; remove the setting",
                                config_file_name(config)));
    }
    if (form == ModelForm::Sql) {
        throw Error(fmt::format(
            "{}: include_schemas needs a .yaml model file: a desired-state file is loaded into one scratch "
            "schema and describes that schema only",
            config_file_name(config)));
    }
}

// A model table names its schema; the default one is written as none. Any other must be one that
// include_schemas takes and that exists: migrator does not create schemas, as Alembic does not.
void place_in_schemas(schema::Schema& models, const config::Config& config, dialect::DialectKind dialect,
                      const std::vector<std::string>& other_schemas,
                      const std::function<std::string()>& read_default_name) {
    const bool names_schemas = std::any_of(models.tables.begin(), models.tables.end(), [](const auto& table) {
        return !table.schema.empty() ||
               std::any_of(table.foreign_keys.begin(), table.foreign_keys.end(),
                           [](const schema::ForeignKey& key) { return !key.referred_schema.empty(); });
    });
    if (!names_schemas) return;
    const auto default_name = read_default_name();
    const autogenerate::TableFilter included{config.include_schemas, {}};
    const auto shown = shown_path(config.models);
    for (auto& table : models.tables) {
        if (table.schema == default_name) table.schema.clear();
        for (auto& key : table.foreign_keys) {
            if (key.referred_schema == default_name) key.referred_schema.clear();
            // MySQL resolves an unqualified REFERENCES in the referring table's database.
            if (dialect == dialect::DialectKind::Mysql && !table.schema.empty() &&
                key.referred_schema.empty())
                key.referred_schema = default_name;
        }
        if (table.schema.empty()) continue;
        if (config.include_schemas.empty() || !included.accepts(table.schema)) {
            throw Error(
                fmt::format("{}: table {} is in schema '{}', which include_schemas in {} does not name",
                            shown, table.qualified_name().text(), table.schema, config_file_name(config)));
        }
        if (std::find(other_schemas.begin(), other_schemas.end(), table.schema) == other_schemas.end()) {
            throw Error(fmt::format(
                "{}: table {}: schema '{}' does not exist in the database; create it in a migration of its "
                "own first (CREATE SCHEMA), then autogenerate",
                shown, table.qualified_name().text(), table.schema));
        }
    }
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
    // The Galera lock's table is migrator's own, like the version and history tables.
    filter.exclude.emplace_back(db::galera_lock_table);
    return filter;
}

SchemaComparison compare_models_with_database(Workspace& workspace,
                                              const std::optional<std::vector<std::string>>& expected_heads) {
    const auto& config = workspace.config();
    if (config.models.empty()) {
        throw Error("no models configured: set 'models:' in " + config_file_name(config) +
                    " to a .yaml model file or a .sql desired-state file (docs/autogenerate.md)");
    }
    const auto form = model_form(config.models);
    const std::string text = read_models(config.models);
    const std::string shown = shown_path(config.models);
    const auto& dialect = workspace.dialect();
    const autogenerate::TableFilter filter =
        without_history_table(config, {config.include_tables, config.exclude_tables});

    if (!config.include_schemas.empty()) refuse_include_schemas(config, form, dialect.kind());
    if (expected_heads) require_heads(workspace, *expected_heads);
    auto& connection = workspace.connection();
    const auto other_schemas = autogenerate::schemas_matching(connection, dialect, config.include_schemas);

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
        auto desired = autogenerate::load_desired_state_and_uncompared(text, shown, dialect, connection,
                                                                       open_scratch, filter);
        comparison.models = std::move(desired.schema);
        comparison.not_compared = std::move(desired.not_compared);
    }
    apply_filter(comparison.models, filter);
    place_in_schemas(comparison.models, config, dialect.kind(), other_schemas,
                     [&] { return autogenerate::default_schema_name(connection, dialect); });
    comparison.database = autogenerate::inspect_schema(connection, dialect, {}, config.version_table, filter);
    auto others = autogenerate::inspect_other_schemas(
        connection, dialect, other_schemas, {config.version_table_schema, config.version_table}, filter);
    std::move(others.tables.begin(), others.tables.end(), std::back_inserter(comparison.database.tables));
    comparison.not_compared.insert(comparison.not_compared.end(), others.not_compared.begin(),
                                   others.not_compared.end());
    if (form == ModelForm::Yaml) {
        // A model file declares no views, routines, triggers or sequences: the database's are named as not
        // compared rather than dropped.
        for (const auto& view : comparison.database.views) {
            comparison.not_compared.push_back({"view", view.name});
        }
        for (const auto& routine : comparison.database.routines) {
            comparison.not_compared.push_back({"routine", routine.name});
        }
        for (const auto& trigger : comparison.database.triggers) {
            comparison.not_compared.push_back({"trigger", trigger.name});
        }
        for (const auto& sequence : comparison.database.sequences) {
            comparison.not_compared.push_back({"sequence", sequence.name});
        }
        // Nor generated columns: the database's are named, and left out on both sides.
        auto& models = comparison.models.tables;
        for (auto& table : comparison.database.tables) {
            const auto declared = std::find_if(models.begin(), models.end(), [&](const schema::Table& other) {
                return other.qualified_name() == table.qualified_name();
            });
            for (const auto& column : table.columns) {
                if (!column.generated) continue;
                comparison.not_compared.push_back(
                    {"generated column", table.qualified_name().text() + "." + column.name});
                if (declared != models.end()) {
                    std::erase_if(declared->columns,
                                  [&](const schema::Column& other) { return other.name == column.name; });
                }
            }
            std::erase_if(table.columns,
                          [](const schema::Column& column) { return column.generated.has_value(); });
        }
        comparison.database.views.clear();
        comparison.database.sequences.clear();
        comparison.database.routines.clear();
        comparison.database.triggers.clear();
    }
    comparison.operations = autogenerate::compare_schemas(comparison.database, comparison.models, dialect);
    // On both sides: an object only the database has would be dropped if it were compared.
    auto live = autogenerate::uncompared_objects(connection, dialect, filter, other_schemas);
    comparison.not_compared.insert(comparison.not_compared.end(), live.begin(), live.end());
    std::sort(comparison.not_compared.begin(), comparison.not_compared.end());
    comparison.not_compared.erase(std::unique(comparison.not_compared.begin(), comparison.not_compared.end()),
                                  comparison.not_compared.end());
    return comparison;
}

}  // namespace migrator::command
