#pragma once
// migrator.yaml: where the scripts live, which database, how the version table is named.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.hpp"

namespace migrator::config {

/// Looks up an environment variable; injectable so tests need not touch the real environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// The process environment.
EnvLookup process_environment();

/// One rule's level from migrator.yaml's `lint:` mapping; the lint module checks that the rule exists.
struct LintLevel {
    std::string rule;
    std::string level;  // "off", "warning" or "error"
    std::string where;  // "<file>:<line>:<col>: 'lint.<rule>'", which starts a message about it
};

/// One database of a fleet: an entry of `targets:` or a line of the list `targets_from:` names. The URL is
/// kept as written; ${VAR} is expanded only when the target is selected (config/targets.hpp).
struct TargetSpec {
    std::string name;
    std::string url;
    std::optional<std::string> version_table_schema;  // replaces the config's for this target
    std::string where;  // "migrator.yaml:12:3" or "tenants.txt:4": starts every message about it
};

/// What `targets_from:` reads: a file, or the standard output of a shell command.
enum class TargetSourceKind { File, Command };

/// The `targets_from:` setting.
struct TargetSource {
    TargetSourceKind kind = TargetSourceKind::File;
    std::string value;                // the file (absolute) or the command, after ${VAR}
    std::filesystem::path directory;  // the config file's: where the command runs
    std::string where;                // "<file>:<line>:<col>: 'targets_from'"
};

/// Everything migrator.yaml can say, with defaults filled in and paths made absolute.
struct Config {
    std::filesystem::path config_file;  // empty when no file was read
    std::string database_url;           // raw, after interpolation and precedence
    /// Where a relative SQLite path in database_url resolves: the config file's directory when the URL
    /// comes from the file (as script paths do), empty (the working directory) for --url and url_env.
    std::filesystem::path database_url_base;
    std::string url_env_var = "DATABASE_URL";              // database.url_env
    std::filesystem::path script_location;                 // holds script.sql.tmpl and versions/
    std::vector<std::filesystem::path> version_locations;  // default: script_location/versions
    std::string version_table = "migrator_version";
    std::string version_table_schema;
    std::string history_table = "migrator_history";  // the audit table, in version_table_schema
    bool verify = true;  // upgrade/downgrade check applied scripts' checksums first
    std::string file_template = "{seq:04d}_{rev}_{slug}";
    int truncate_slug_length = 40;
    bool transaction_per_migration = true;
    std::string timezone;                            // empty: local time; "UTC" or an IANA name
    std::filesystem::path models;                    // empty: autogenerate and check are unavailable
    std::vector<std::string> include_tables;         // fnmatch patterns; empty: every table
    std::vector<std::string> exclude_tables;         // fnmatch patterns
    std::vector<std::string> include_schemas;        // fnmatch patterns of schemas besides the default
    std::map<std::string, std::string> x_arguments;  // -x key=value
    std::vector<LintLevel> lint;                     // `lint:` rule levels, in file order
    std::string environment;                         // the -n name that was applied; empty when none
    std::vector<TargetSpec> targets;                 // `targets:`, in file order
    std::optional<TargetSource> targets_from;        // `targets_from:`
    /// Where a relative SQLite path of a target resolves: the config file's directory.
    std::filesystem::path targets_base;
};

/// What the command line adds on top of the file.
struct Overrides {
    std::optional<std::string> url;          // --url wins over everything
    std::optional<std::string> environment;  // -n NAME
    std::map<std::string, std::string> x_arguments;
};

/// Parses YAML text. `base_dir` anchors relative paths; unknown keys, bad types and an unknown
/// environment name are failures that name the key.
Expected<Config> parse_config(std::string_view yaml_text, const std::filesystem::path& base_dir,
                              const Overrides& overrides, const EnvLookup& env);

/// As above, with `source_name` (usually the file path as given) starting every failure message.
Expected<Config> parse_config(std::string_view yaml_text, const std::filesystem::path& base_dir,
                              const Overrides& overrides, const EnvLookup& env, std::string_view source_name);

/// Reads and parses a config file; a missing or unreadable file is a failure naming it.
Expected<Config> load_config(const std::filesystem::path& file, const Overrides& overrides,
                             const EnvLookup& env);

/// Replaces ${VAR} and ${VAR:-default}; an unset variable without default is a failure naming it.
Expected<std::string> interpolate(std::string_view text, const EnvLookup& env);

}  // namespace migrator::config
