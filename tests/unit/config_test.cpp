#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>

#include "config/config.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using migrator::config::Config;
using migrator::config::EnvLookup;
using migrator::config::load_config;
using migrator::config::Overrides;
using migrator::config::parse_config;

using test::TempDir;

namespace {

using Variables = std::map<std::string, std::string, std::less<>>;

EnvLookup env_of(Variables variables) {
    return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
        const auto found = variables.find(name);
        if (found == variables.end()) return std::nullopt;
        return found->second;
    };
}

const fs::path project_root = "/project";

Config parse_ok(const std::string& yaml, const Overrides& overrides = {}, const Variables& variables = {}) {
    auto config = parse_config(yaml, project_root, overrides, env_of(variables));
    INFO(yaml);
    if (!config) FAIL(config.error().message);
    return std::move(config).value();
}

std::string parse_error(const std::string& yaml, const Overrides& overrides = {},
                        const Variables& variables = {}) {
    auto config = parse_config(yaml, project_root, overrides, env_of(variables));
    INFO(yaml);
    REQUIRE_FALSE(config.has_value());
    CHECK(config.error().message.find('\n') == std::string::npos);
    return config.error().message;
}

Overrides with_environment(std::string name) {
    Overrides overrides;
    overrides.environment = std::move(name);
    return overrides;
}

}  // namespace

TEST_CASE("a minimal file gets every default", "[config]") {
    const auto config = parse_ok("script_location: migrations\n");
    CHECK(config.script_location == fs::path("/project/migrations"));
    CHECK(config.version_locations == std::vector<fs::path>{"/project/migrations/versions"});
    CHECK(config.version_table == "migrator_version");
    CHECK(config.version_table_schema.empty());
    CHECK(config.file_template == "{seq:04d}_{rev}_{slug}");
    CHECK(config.truncate_slug_length == 40);
    CHECK(config.transaction_per_migration);
    CHECK(config.timezone.empty());
    CHECK(config.database_url.empty());
    CHECK(config.url_env_var == "DATABASE_URL");
    CHECK(config.environment.empty());
    CHECK(config.config_file.empty());
    CHECK(config.x_arguments.empty());
}

TEST_CASE("every key is read", "[config]") {
    const auto config = parse_ok(R"(
script_location: db/migrations
version_locations: [db/migrations/versions, other/versions]
version_table: alembic_version
version_table_schema: audit
file_template: "{rev}_{slug}"
truncate_slug_length: 20
transaction_per_migration: false
timezone: Europe/Berlin
database:
  url: sqlite:///app.db
  url_env: APP_DB
)");
    CHECK(config.script_location == fs::path("/project/db/migrations"));
    CHECK(config.version_locations ==
          std::vector<fs::path>{"/project/db/migrations/versions", "/project/other/versions"});
    CHECK(config.version_table == "alembic_version");
    CHECK(config.version_table_schema == "audit");
    CHECK(config.file_template == "{rev}_{slug}");
    CHECK(config.truncate_slug_length == 20);
    CHECK_FALSE(config.transaction_per_migration);
    CHECK(config.timezone == "Europe/Berlin");
    CHECK(config.database_url == "sqlite:///app.db");  // SQLite paths stay relative to the working directory
    CHECK(config.url_env_var == "APP_DB");
}

TEST_CASE("relative paths are anchored at base_dir and normalised", "[config]") {
    const auto config = parse_ok(
        "script_location: ./a/../migrations/\n"
        "version_locations: [/abs/versions, 'x//y/./z/', ../shared/versions]\n");
    CHECK(config.script_location == fs::path("/project/migrations"));
    CHECK(config.version_locations ==
          std::vector<fs::path>{"/abs/versions", "/project/x/y/z", "/shared/versions"});

    const auto relative_base = parse_config("script_location: m\n", "rel/dir", {}, env_of({}));
    REQUIRE(relative_base.has_value());
    CHECK(relative_base->script_location == (fs::current_path() / "rel/dir/m").lexically_normal());
    CHECK(relative_base->script_location.is_absolute());
}

TEST_CASE("keys without a value keep their defaults", "[config]") {
    const auto config =
        parse_ok("script_location: m\nversion_table:\ntimezone: ~\ndatabase:\nenvironments:\n");
    CHECK(config.version_table == "migrator_version");
    CHECK(config.timezone.empty());
    CHECK(config.database_url.empty());
}

TEST_CASE("script_location is required and not empty", "[config]") {
    CHECK(parse_error("") == "migrator.yaml: missing required key 'script_location'");
    CHECK(parse_error("version_table: v\n") == "migrator.yaml: missing required key 'script_location'");
    CHECK(parse_error("script_location: ''\n") == "migrator.yaml:1:18: 'script_location' must not be empty");
}

TEST_CASE("unknown keys are failures at every level", "[config]") {
    CHECK(parse_error("script_location: m\nversion_tabel: v\n") ==
          "migrator.yaml:2:1: unknown key 'version_tabel' (did you mean 'version_table'?)");
    CHECK(parse_error("script_location: m\ndatabse:\n  url: x\n") ==
          "migrator.yaml:2:1: unknown key 'databse' (did you mean 'database'?)");
    CHECK(parse_error("script_location: m\ndatabase:\n  ulr: sqlite://\n") ==
          "migrator.yaml:3:3: unknown key 'ulr' in 'database' (did you mean 'url'?)");
    CHECK(parse_error("script_location: m\nenvironments:\n  staging:\n    Version_Table: v\n") ==
          "migrator.yaml:4:5: unknown key 'Version_Table' in 'environments.staging' (did you mean "
          "'version_table'?)");
    CHECK(parse_error("script_location: m\nenvironments:\n  staging:\n    database:\n      url_evn: X\n") ==
          "migrator.yaml:5:7: unknown key 'url_evn' in 'environments.staging.database' (did you mean "
          "'url_env'?)");
    // Far from every known key: no suggestion.
    CHECK(parse_error("script_location: m\ncompletely_different: 1\n") ==
          "migrator.yaml:2:1: unknown key 'completely_different'");
    // Environments are checked even when not selected, and cannot nest.
    CHECK_THAT(parse_error("script_location: m\nenvironments:\n  prod:\n    environments: {}\n"),
               Catch::Contains("'environments' cannot be nested inside 'environments.prod'"));
}

TEST_CASE("values of the wrong type are failures naming the key", "[config]") {
    CHECK(parse_error("script_location: [a, b]\n") ==
          "migrator.yaml:1:18: 'script_location' must be a path, not a list");
    CHECK(parse_error("script_location: m\nversion_table: {a: b}\n") ==
          "migrator.yaml:2:16: 'version_table' must be a table name, not a mapping");
    CHECK(parse_error("script_location: m\nversion_locations: versions\n") ==
          "migrator.yaml:2:20: 'version_locations' must be a list of paths, not a single value");
    CHECK(parse_error("script_location: m\nversion_locations: [a, [b]]\n") ==
          "migrator.yaml:2:24: 'version_locations' must be a list of paths; item 2 is a list");
    CHECK(parse_error("script_location: m\nversion_locations: []\n") ==
          "migrator.yaml:2:20: 'version_locations' must list at least one directory");
    CHECK(parse_error("script_location: m\ntransaction_per_migration: maybe\n") ==
          "migrator.yaml:2:28: 'transaction_per_migration' must be true or false, got 'maybe'");
    CHECK_THAT(parse_error("script_location: m\ntruncate_slug_length: abc\n"),
               Catch::Contains("'truncate_slug_length' must be a whole number from 1 to 255, got 'abc'"));
    CHECK_THAT(parse_error("script_location: m\ntruncate_slug_length: 4.5\n"),
               Catch::Contains("'truncate_slug_length' must be a whole number"));
    CHECK_THAT(parse_error("script_location: m\ntruncate_slug_length: 0\n"),
               Catch::Contains("'truncate_slug_length' must be a whole number"));
    CHECK_THAT(parse_error("script_location: m\ntruncate_slug_length: [40]\n"),
               Catch::Contains("'truncate_slug_length' must be a whole number, not a list"));
    CHECK_THAT(parse_error("script_location: m\ndatabase: sqlite://\n"),
               Catch::Contains("'database' must be a mapping with url and url_env, not a single value"));
    CHECK_THAT(parse_error("script_location: m\ndatabase:\n  url: [a]\n"),
               Catch::Contains("'database.url' must be a database URL, not a list"));
    CHECK_THAT(parse_error("script_location: m\nenvironments: [staging]\n"),
               Catch::Contains("'environments' must be a mapping of environment names, not a list"));
    CHECK_THAT(parse_error("script_location: m\nenvironments:\n  staging: yes\n"),
               Catch::Contains("'environments.staging' must be a mapping of settings, not a single value"));
    CHECK_THAT(parse_error("- script_location\n- m\n"),
               Catch::Contains("migrator.yaml:1:1: the file must be a mapping of settings"));
    CHECK_THAT(parse_error("script_location: m\nversion_table: a\nversion_table: b\n"),
               Catch::Contains("migrator.yaml:3:1: duplicate key 'version_table'"));
    CHECK_THAT(parse_error("script_location: m\n[a]: b\n"), Catch::Contains("keys must be plain names"));
}

TEST_CASE("transaction_per_migration accepts the usual spellings", "[config]") {
    const std::vector<std::pair<std::string, bool>> spellings{
        {"true", true},   {"True", true},   {"yes", true}, {"on", true},
        {"false", false}, {"FALSE", false}, {"no", false}, {"off", false},
    };
    for (const auto& [text, expected] : spellings) {
        INFO(text);
        CHECK(parse_ok("script_location: m\ntransaction_per_migration: " + text + "\n")
                  .transaction_per_migration == expected);
    }
}

TEST_CASE("bad YAML is a one-line failure with file, line and column", "[config]") {
    const auto message = parse_error("script_location: m\nversion_table: v\ndatabase: {url: x\n");
    CHECK_THAT(message, Catch::StartsWith("migrator.yaml:"));
    CHECK_THAT(message, Catch::Matches(R"(migrator\.yaml:[34]:\d+: .+)"));

    const auto tabbed = parse_config("script_location: m\n\tversion_table: v\n", project_root, {}, env_of({}),
                                     "conf/app.yaml");
    REQUIRE_FALSE(tabbed.has_value());
    CHECK_THAT(tabbed.error().message, Catch::Matches(R"(conf/app\.yaml:2:\d+: .+)"));

    CHECK(parse_error("script_location: m\n  bad: indent\n") == "migrator.yaml:2:6: illegal map value");
    CHECK(parse_error("script_location: m\ndatabase:\n  url: *nope\n") ==
          "migrator.yaml:3:8: the referenced anchor is not defined");
}

TEST_CASE("the -n NAME option overlays one environment on the file", "[config]") {
    const std::string yaml = R"(
script_location: migrations
version_table: migrator_version
database:
  url: sqlite:///dev.db
  url_env: APP_DATABASE_URL
environments:
  staging:
    version_table: staging_version
    database:
      url: postgresql://staging/app
  ci:
    script_location: ci/migrations
    transaction_per_migration: off
  empty:
)";
    const auto base = parse_ok(yaml);
    CHECK(base.version_table == "migrator_version");
    CHECK(base.database_url == "sqlite:///dev.db");

    const auto staging = parse_ok(yaml, with_environment("staging"));
    CHECK(staging.environment == "staging");
    CHECK(staging.version_table == "staging_version");
    CHECK(staging.database_url == "postgresql://staging/app");
    CHECK(staging.url_env_var == "APP_DATABASE_URL");  // database: merges key by key
    CHECK(staging.script_location == fs::path("/project/migrations"));

    const auto ci = parse_ok(yaml, with_environment("ci"));
    CHECK(ci.script_location == fs::path("/project/ci/migrations"));
    CHECK(ci.version_locations == std::vector<fs::path>{"/project/ci/migrations/versions"});
    CHECK_FALSE(ci.transaction_per_migration);
    CHECK(ci.database_url == "sqlite:///dev.db");

    const auto empty = parse_ok(yaml, with_environment("empty"));
    CHECK(empty.version_table == "migrator_version");

    CHECK(parse_error(yaml, with_environment("stagng")) ==
          "migrator.yaml: environment 'stagng' not found (did you mean 'staging'?); available: ci, empty, "
          "staging");
    CHECK(parse_error(yaml, with_environment("production")) ==
          "migrator.yaml: environment 'production' not found; available: ci, empty, staging");
    CHECK(parse_error("script_location: m\n", with_environment("prod")) ==
          "migrator.yaml: environment 'prod' not found (the file defines no 'environments')");
}

TEST_CASE("interpolation runs on the values in effect after the overlay", "[config]") {
    const std::string yaml = R"(
script_location: ${MIGRATIONS_DIR:-migrations}
version_locations: ["${MIGRATIONS_DIR:-migrations}/versions", "${EXTRA:-${MIGRATIONS_DIR:-x}/extra}"]
version_table: ${TABLE_PREFIX:-app}_$$version
truncate_slug_length: ${SLUG:-12}
transaction_per_migration: ${PER_MIGRATION:-false}
database:
  url: sqlite:///${DB_NAME:-dev}.db
environments:
  staging:
    database:
      url: ${STAGING_DATABASE_URL}
)";
    const auto defaults = parse_ok(yaml);
    CHECK(defaults.script_location == fs::path("/project/migrations"));
    CHECK(defaults.version_locations ==
          std::vector<fs::path>{"/project/migrations/versions", "/project/x/extra"});
    CHECK(defaults.version_table == "app_$version");
    CHECK(defaults.truncate_slug_length == 12);
    CHECK_FALSE(defaults.transaction_per_migration);
    CHECK(defaults.database_url == "sqlite:///dev.db");  // staging's unset variable does not matter here

    const auto filled = parse_ok(yaml, {},
                                 {{"MIGRATIONS_DIR", "db"},
                                  {"TABLE_PREFIX", "shop"},
                                  {"SLUG", "30"},
                                  {"PER_MIGRATION", "true"},
                                  {"DB_NAME", "shop"}});
    CHECK(filled.script_location == fs::path("/project/db"));
    CHECK(filled.version_locations == std::vector<fs::path>{"/project/db/versions", "/project/db/extra"});
    CHECK(filled.version_table == "shop_$version");
    CHECK(filled.truncate_slug_length == 30);
    CHECK(filled.transaction_per_migration);
    CHECK(filled.database_url == "sqlite:///shop.db");

    const auto staging =
        parse_ok(yaml, with_environment("staging"), {{"STAGING_DATABASE_URL", "postgresql://s/app"}});
    CHECK(staging.database_url == "postgresql://s/app");

    CHECK(parse_error(yaml, with_environment("staging")) ==
          "migrator.yaml:12:12: 'environments.staging.database.url': environment variable "
          "'STAGING_DATABASE_URL' "
          "is not set (write ${STAGING_DATABASE_URL:-default} to give a fallback)");
    CHECK_THAT(parse_error("script_location: m\nversion_locations: [a, '${NOPE}']\n"),
               Catch::StartsWith("migrator.yaml:2:24: 'version_locations': environment variable 'NOPE'"));
    CHECK_THAT(parse_error("script_location: m\ntruncate_slug_length: ${SLUG:-ten}\n"),
               Catch::Contains("'truncate_slug_length' must be a whole number from 1 to 255, got 'ten'"));
}

TEST_CASE("database URL precedence: --url, then the url_env variable, then the file", "[config]") {
    const std::optional<std::string> cli_values[] = {std::nullopt, "sqlite:///cli.db"};
    const std::optional<std::string> env_values[] = {std::nullopt, "", "sqlite:///env.db"};
    const std::optional<std::string> file_values[] = {std::nullopt, "sqlite:///file.db"};
    const std::optional<std::string> overlay_values[] = {std::nullopt, "sqlite:///overlay.db"};
    for (const auto& cli : cli_values) {
        for (const auto& from_env : env_values) {
            for (const auto& file : file_values) {
                for (const auto& overlay : overlay_values) {
                    std::string yaml = "script_location: m\n";
                    if (file) yaml += "database:\n  url: " + *file + "\n";
                    yaml += "environments:\n  prod:\n";
                    if (overlay) yaml += "    database:\n      url: " + *overlay + "\n";
                    Overrides overrides = with_environment("prod");
                    overrides.url = cli;
                    Variables variables;
                    if (from_env) variables["DATABASE_URL"] = *from_env;

                    std::string expected;
                    if (cli) {
                        expected = *cli;
                    } else if (from_env && !from_env->empty()) {
                        expected = *from_env;
                    } else if (overlay) {
                        expected = *overlay;
                    } else if (file) {
                        expected = *file;
                    }
                    INFO(yaml << "--url " << cli.value_or("(none)") << ", DATABASE_URL "
                              << from_env.value_or("(unset)"));
                    CHECK(parse_ok(yaml, overrides, variables).database_url == expected);
                }
            }
        }
    }
}

TEST_CASE("database.url_env picks the variable that overrides the file", "[config]") {
    const std::string yaml = "script_location: m\ndatabase:\n  url: sqlite:///file.db\n  url_env: APP_DB\n";
    CHECK(parse_ok(yaml, {}, {{"APP_DB", "sqlite:///app.db"}, {"DATABASE_URL", "sqlite:///ignored.db"}})
              .database_url == "sqlite:///app.db");
    CHECK(parse_ok(yaml, {}, {{"DATABASE_URL", "sqlite:///ignored.db"}}).database_url == "sqlite:///file.db");

    // An empty url_env turns the lookup off.
    const std::string no_env = "script_location: m\ndatabase:\n  url: sqlite:///file.db\n  url_env: ''\n";
    const auto config = parse_ok(no_env, {}, {{"DATABASE_URL", "sqlite:///env.db"}});
    CHECK(config.database_url == "sqlite:///file.db");
    CHECK(config.url_env_var.empty());

    Overrides empty_cli;
    empty_cli.url = "";
    CHECK(parse_ok(yaml, empty_cli, {{"APP_DB", "sqlite:///app.db"}}).database_url.empty());

    // The file's URL is expanded only when it is the one used.
    const std::string unset_in_file = "script_location: m\ndatabase:\n  url: ${UNSET_URL}\n";
    Overrides cli;
    cli.url = "sqlite:///cli.db";
    CHECK(parse_ok(unset_in_file, cli).database_url == "sqlite:///cli.db");
    CHECK(parse_ok(unset_in_file, {}, {{"DATABASE_URL", "sqlite:///env.db"}}).database_url ==
          "sqlite:///env.db");
    CHECK_THAT(parse_error(unset_in_file),
               Catch::Contains("'database.url': environment variable 'UNSET_URL'"));
}

TEST_CASE("x_arguments are copied from the overrides", "[config]") {
    Overrides overrides;
    overrides.x_arguments = {{"tenant", "acme"}, {"dry", "1"}};
    CHECK(parse_ok("script_location: m\n", overrides).x_arguments ==
          std::map<std::string, std::string>{{"dry", "1"}, {"tenant", "acme"}});
}

TEST_CASE("config failures never contain the database password", "[config]") {
    const std::string secret = "S3cr3tPw";
    const std::string url = "postgresql://app:" + secret + "@db/app";
    const std::vector<std::string> files{
        "script_location: m\ndatabase:\n  url: [" + url + "]\n",
        "script_location: m\ndatabase:\n  url: " + url + "\n  url_env: " + url + "\n",
        "script_location: m\ndatabase:\n  url: " + url + "/${MISSING}\n",
        "script_location: m\ndatabase:\n  url: " + url + "${BROKEN\n",
        "script_location: m\ndatabase:\n  url: " + url + "\n  urll: x\n",
        "script_location: m\ndatabase: {url: '" + url + "'\n",
    };
    for (const auto& yaml : files) {
        const auto message = parse_error(yaml);
        CHECK_THAT(message, !Catch::Contains(secret));
    }
}

TEST_CASE("load_config reads the file and anchors paths at its directory", "[config]") {
    const TempDir dir;
    dir.write("proj/migrator.yaml", "script_location: migrations\ndatabase:\n  url: sqlite:///app.db\n");
    const auto config = load_config(dir.path() / "proj/./migrator.yaml", {}, env_of({}));
    REQUIRE(config.has_value());
    CHECK(config->config_file == (dir.path() / "proj/migrator.yaml").lexically_normal());
    CHECK(config->script_location == (dir.path() / "proj/migrations").lexically_normal());
    CHECK(config->database_url == "sqlite:///app.db");
}

TEST_CASE("load_config failures name the file", "[config]") {
    const TempDir dir;
    const auto missing = load_config(dir.path() / "nope.yaml", {}, env_of({}));
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().message == "config file '" + (dir.path() / "nope.yaml").string() +
                                         "' not found (use -c FILE or run 'migrator init DIR')");

    const auto relative_missing = load_config("migrator-config-test-missing.yaml", {}, env_of({}));
    REQUIRE_FALSE(relative_missing.has_value());
    CHECK_THAT(relative_missing.error().message,
               Catch::StartsWith("config file 'migrator-config-test-missing.yaml' not found"));

    const auto directory = load_config(dir.path(), {}, env_of({}));
    REQUIRE_FALSE(directory.has_value());
    CHECK_THAT(directory.error().message, Catch::Contains("is a directory"));

    dir.write("bad.yaml", "script_location: m\nversion_tabel: v\n");
    const auto bad = load_config(dir.path() / "bad.yaml", {}, env_of({}));
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message == (dir.path() / "bad.yaml").string() +
                                     ":2:1: unknown key 'version_tabel' (did you mean 'version_table'?)");
}

TEST_CASE("migrator.yaml.example is a valid config in every environment", "[config]") {
    // From a definition, not __FILE__: a compiler cache may make __FILE__ relative.
    const auto example = fs::path(MIGRATOR_SOURCE_DIR) / "migrator.yaml.example";
    REQUIRE(fs::exists(example));
    const auto env = env_of({{"STAGING_DATABASE_URL", "postgresql://staging/app"}});

    const auto base = load_config(example, {}, env);
    REQUIRE(base.has_value());
    CHECK(base->script_location == example.parent_path().lexically_normal() / "migrations");
    CHECK(base->database_url == "sqlite:///app.db");

    const auto staging = load_config(example, with_environment("staging"), env);
    REQUIRE(staging.has_value());
    CHECK(staging->database_url == "postgresql://staging/app");

    const auto production = load_config(example, with_environment("production"), env);
    REQUIRE(production.has_value());
    CHECK(production->database_url == "postgresql://migrator@db.internal:5432/app?sslmode=require");
    CHECK_FALSE(production->transaction_per_migration);
}

TEST_CASE("a NUL byte in a setting is an error naming it", "[config]") {
    using namespace std::string_literals;
    CHECK_THAT(parse_error("script_location: m\ndatabase:\n  url: \"sqlite:///app\\0x.db\"\n"),
               Catch::Contains("'database.url' contains a NUL byte"));
    CHECK_THAT(parse_error("script_location: \"m\\0x\"\n"),
               Catch::Contains("'script_location' contains a NUL byte"));
    CHECK_THAT(parse_error("script_location: m\nversion_locations: [a, \"b\\0\"]\n"),
               Catch::Contains("'version_locations' contains a NUL byte"));
    Overrides url;
    url.url = "sqlite:///app\0x.db"s;
    CHECK(parse_error("script_location: m\n", url) == "--url contains a NUL byte");
    CHECK(parse_error("script_location: m\ndatabase:\n  url_env: APP_DB\n", {},
                      {{"APP_DB", "sqlite:///a\0b"s}}) == "environment variable APP_DB contains a NUL byte");
}

TEST_CASE("history_table and verify: defaults, values and bad input", "[config]") {
    const auto defaults = parse_ok("script_location: m\n");
    CHECK(defaults.history_table == "migrator_history");
    CHECK(defaults.verify);
    const auto set = parse_ok("script_location: m\nhistory_table: audit\nverify: false\n");
    CHECK(set.history_table == "audit");
    CHECK_FALSE(set.verify);
    CHECK(parse_error("script_location: m\nverify: sometimes\n") ==
          "migrator.yaml:2:9: 'verify' must be true or false, got 'sometimes'");
    CHECK(parse_error("script_location: m\nhistory_table: migrator_version\n") ==
          "migrator.yaml:2:16: 'history_table' must differ from version_table");
    CHECK(parse_error("script_location: m\nversion_table: migrator_history\n") ==
          "migrator.yaml:2:16: 'version_table' must differ from history_table");
}

TEST_CASE("lint levels are read with where they were written", "[config][lint]") {
    const auto config = parse_ok("script_location: m\nlint:\n  drop-table: off\n  rename-column: error\n");
    REQUIRE(config.lint.size() == 2);
    CHECK(config.lint[0].rule == "drop-table");
    CHECK(config.lint[0].level == "off");
    CHECK(config.lint[0].where == "migrator.yaml:3:3: 'lint.drop-table'");
    CHECK(config.lint[1].level == "error");
    CHECK(parse_error("script_location: m\nlint:\n  drop-table: loud\n") ==
          "migrator.yaml:3:15: 'lint.drop-table' must be off, warning or error");
    CHECK(parse_error("script_location: m\nlint: [drop-table]\n").find("'lint' must be a mapping") !=
          std::string::npos);
}

TEST_CASE("targets: named URLs and mappings with a version_table_schema", "[config][targets]") {
    const auto config = parse_ok(
        "script_location: migrations\n"
        "targets:\n"
        "  eu: postgresql://app:${EU_PASSWORD}@eu-db/app\n"
        "  tenant_a:\n"
        "    url: postgresql://app@db/app?options=-csearch_path%3Dtenant_a\n"
        "    version_table_schema: tenant_a\n");
    REQUIRE(config.targets.size() == 2);
    CHECK(config.targets[0].name == "eu");
    CHECK(config.targets[0].url == "postgresql://app:${EU_PASSWORD}@eu-db/app");  // expanded when selected
    CHECK_FALSE(config.targets[0].version_table_schema);
    CHECK(config.targets[0].where == "migrator.yaml:3:3");
    CHECK(config.targets[1].name == "tenant_a");
    CHECK(config.targets[1].version_table_schema == "tenant_a");
    CHECK_FALSE(config.targets_from);
}

TEST_CASE("targets: bad entries name the file, line and target", "[config][targets]") {
    CHECK(parse_error("script_location: m\ntargets:\n  - sqlite:///a.db\n") ==
          "migrator.yaml:3:3: 'targets' must be a mapping of target names to database URLs, not a list");
    CHECK(parse_error("script_location: m\ntargets:\n  a:\n") ==
          "migrator.yaml:3:3: 'targets.a' must be a database URL or a mapping with url and "
          "version_table_schema, not empty");
    CHECK(parse_error("script_location: m\ntargets:\n  a:\n    version_table_schema: s\n") ==
          "migrator.yaml:3:3: 'targets.a' needs a 'url'");
    CHECK(parse_error("script_location: m\ntargets:\n  a:\n    url: sqlite:///a.db\n    schema: s\n") ==
          "migrator.yaml:5:5: unknown key 'schema' in 'targets.a'");
    CHECK(parse_error("script_location: m\ntargets:\n  a: sqlite:///a.db\n  a: sqlite:///b.db\n") ==
          "migrator.yaml:4:3: duplicate target 'a'");
    CHECK(parse_error("script_location: m\ntargets:\n  \"a b\": sqlite:///a.db\n") ==
          "migrator.yaml:3:3: target names must be non-empty words without spaces or control characters");
}

TEST_CASE("targets_from: a file relative to the config, or a command", "[config][targets]") {
    const auto file = parse_ok("script_location: m\ntargets_from: tenants.txt\n");
    REQUIRE(file.targets_from);
    CHECK(file.targets_from->kind == migrator::config::TargetSourceKind::File);
    CHECK(file.targets_from->value == "/project/tenants.txt");
    const auto command = parse_ok(
        "script_location: m\ntargets_from:\n  command: ./list-tenants --env ${ENV}\n", {}, {{"ENV", "prod"}});
    REQUIRE(command.targets_from);
    CHECK(command.targets_from->kind == migrator::config::TargetSourceKind::Command);
    CHECK(command.targets_from->value == "./list-tenants --env prod");
    CHECK(command.targets_from->directory == "/project");
    CHECK(parse_error("script_location: m\ntargets_from:\n  file: a\n  command: b\n") ==
          "migrator.yaml:3:3: 'targets_from' must have exactly one of 'file' and 'command'");
    CHECK(parse_error("script_location: m\ntargets_from: [a]\n") ==
          "migrator.yaml:2:15: 'targets_from' must be a file, or a mapping with file or command, not a list");
}
