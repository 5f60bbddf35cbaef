// migrator.yaml: reads the YAML tree into settings, applies the -n overlay, expands ${VAR}, converts
// each setting and picks the database URL. Every failure starts with "<file>:<line>:<col>: ".
// Over 500 lines on purpose: one setting is one `Reader` call here, so the table of settings reads top
// to bottom in one place; the URL grammar and ${VAR} interpolation live in their own files.

#include "config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <set>
#include <span>
#include <sstream>
#include <utility>

#include "config/targets.hpp"
#include "util/ascii.hpp"
#include "util/strings.hpp"

namespace migrator::config {

namespace {

namespace fs = std::filesystem;

enum class Shape { Scalar, ScalarList, Mapping, ScalarOrMapping };

struct KeySpec {
    std::string_view name;
    Shape shape;
    std::string_view expected;  // completes "'key' must be ..."
};

constexpr std::array<KeySpec, 19> top_level_keys{{
    {"script_location", Shape::Scalar, "a path"},
    {"version_locations", Shape::ScalarList, "a list of paths"},
    {"version_table", Shape::Scalar, "a table name"},
    {"version_table_schema", Shape::Scalar, "a schema name"},
    {"history_table", Shape::Scalar, "a table name"},
    {"verify", Shape::Scalar, "true or false"},
    {"file_template", Shape::Scalar, "a string"},
    {"truncate_slug_length", Shape::Scalar, "a whole number"},
    {"transaction_per_migration", Shape::Scalar, "true or false"},
    {"timezone", Shape::Scalar, "a time zone name"},
    {"models", Shape::Scalar, "a path to a .yaml model file or a .sql desired-state file"},
    {"include_tables", Shape::ScalarList, "a list of table name patterns"},
    {"exclude_tables", Shape::ScalarList, "a list of table name patterns"},
    {"include_schemas", Shape::ScalarList, "a list of schema name patterns"},
    {"database", Shape::Mapping, "a mapping with url and url_env"},
    {"lint", Shape::Mapping, "a mapping of lint rule ids to off, warning or error"},
    {"environments", Shape::Mapping, "a mapping of environment names"},
    {"targets", Shape::Mapping, "a mapping of target names to database URLs"},
    {"targets_from", Shape::ScalarOrMapping, "a file, or a mapping with file or command"},
}};

constexpr std::array<KeySpec, 2> target_keys{{
    {"url", Shape::Scalar, "a database URL"},
    {"version_table_schema", Shape::Scalar, "a schema name"},
}};

constexpr std::array<KeySpec, 2> target_source_keys{{
    {"file", Shape::Scalar, "a path to a list of database URLs"},
    {"command", Shape::Scalar, "a shell command that prints database URLs"},
}};

constexpr std::array<KeySpec, 2> database_keys{{
    {"url", Shape::Scalar, "a database URL"},
    {"url_env", Shape::Scalar, "an environment variable name"},
}};

constexpr int max_slug_length = 255;  // a file name longer than this fails on common file systems

std::string describe(const YAML::Node& node) {
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a mapping";
    return "a single value";
}

std::string join_path(const std::string& prefix, std::string_view name) {
    return prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
}

// One key's value as written, with the dotted path that names it in messages.
struct Setting {
    YAML::Node value;
    std::string path;
};
using Settings = std::map<std::string, Setting, std::less<>>;

// The keys of one layer: the file's top level or one environment.
struct Layer {
    Settings top;  // every key except database and environments
    Settings database;
    std::optional<Setting> environments;  // only at the top level
};

struct ParsedFile {
    Layer base;
    std::map<std::string, Layer, std::less<>> environments;
};

enum class LayerKind { TopLevel, Environment };

class Reader {
public:
    explicit Reader(std::string source) : source_(std::move(source)) {}

    [[nodiscard]] Failure at(const YAML::Node& node, const std::string& message) const {
        const auto mark = node.Mark();
        if (mark.is_null()) return fail(source_ + ": " + message);
        return fail(source_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) +
                    ": " + message);
    }
    [[nodiscard]] Failure plain(const std::string& message) const { return fail(source_ + ": " + message); }
    [[nodiscard]] std::string location(int line, int column) const {
        return source_ + ":" + std::to_string(line) + ":" + std::to_string(column);
    }

    /// The keys of a nested mapping (a target, targets_from), checked as the top level's are.
    Expected<Settings> read_nested(const YAML::Node& map, const std::string& prefix,
                                   std::span<const KeySpec> specs) const {
        return read_map(map, prefix, specs, LayerKind::TopLevel);
    }

    Expected<ParsedFile> read(const YAML::Node& root) const {
        if (!root.IsNull() && !root.IsMap()) {
            return at(root, "the file must be a mapping of settings (key: value), not " + describe(root));
        }
        ParsedFile file;
        if (root.IsNull()) return file;
        auto base = read_layer(root, "", LayerKind::TopLevel);
        if (!base) return base.error();
        file.base = std::move(*base);
        if (!file.base.environments) return file;
        for (const auto& item : file.base.environments->value) {
            if (!item.first.IsScalar()) return at(item.first, "environment names must be plain names");
            const auto name = item.first.Scalar();
            const auto path = join_path("environments", name);
            if (file.environments.count(name) != 0)
                return at(item.first, "duplicate environment '" + name + "'");
            if (!item.second.IsNull() && !item.second.IsMap()) {
                return at(item.second,
                          "'" + path + "' must be a mapping of settings, not " + describe(item.second));
            }
            Layer layer;
            if (item.second.IsMap()) {
                auto read_env = read_layer(item.second, path, LayerKind::Environment);
                if (!read_env) return read_env.error();
                layer = std::move(*read_env);
            }
            file.environments.emplace(name, std::move(layer));
        }
        return file;
    }

private:
    Expected<Layer> read_layer(const YAML::Node& map, const std::string& prefix, LayerKind kind) const {
        auto top = read_map(map, prefix, top_level_keys, kind);
        if (!top) return top.error();
        Layer layer;
        for (auto& [name, setting] : *top) {
            if (name == "environments") {
                layer.environments = std::move(setting);
                continue;
            }
            if (name == "database") {
                auto database = read_map(setting.value, setting.path, database_keys, kind);
                if (!database) return database.error();
                layer.database = std::move(*database);
                continue;
            }
            layer.top.emplace(name, std::move(setting));
        }
        return layer;
    }

    // Checks names, duplicates and shapes; keys whose value is empty (null) are left out.
    Expected<Settings> read_map(const YAML::Node& map, const std::string& prefix,
                                std::span<const KeySpec> specs, LayerKind kind) const {
        Settings settings;
        std::set<std::string, std::less<>> seen;
        for (const auto& item : map) {
            const auto& key = item.first;
            const auto& value = item.second;
            if (!key.IsScalar()) return at(key, "keys must be plain names, not " + describe(key));
            const auto& name = key.Scalar();
            const auto path = join_path(prefix, name);
            if (!seen.insert(name).second) return at(key, "duplicate key '" + path + "'");
            const auto spec = std::find_if(specs.begin(), specs.end(),
                                           [&](const KeySpec& candidate) { return candidate.name == name; });
            if (kind == LayerKind::Environment && name == "environments") {
                return at(key, "'environments' cannot be nested inside '" + prefix + "'");
            }
            if (spec == specs.end()) return at(key, unknown_key(name, prefix, specs, kind));
            if (value.IsNull()) continue;
            if (auto failure = check_shape(value, *spec, path)) return *failure;
            settings.emplace(name, Setting{value, path});
        }
        return settings;
    }

    [[nodiscard]] std::optional<Failure> check_shape(const YAML::Node& value, const KeySpec& spec,
                                                     const std::string& path) const {
        const bool matches = (spec.shape == Shape::Scalar && value.IsScalar()) ||
                             (spec.shape == Shape::ScalarList && value.IsSequence()) ||
                             (spec.shape == Shape::Mapping && value.IsMap()) ||
                             (spec.shape == Shape::ScalarOrMapping && (value.IsScalar() || value.IsMap()));
        if (!matches) {
            return at(value,
                      "'" + path + "' must be " + std::string(spec.expected) + ", not " + describe(value));
        }
        if (spec.shape != Shape::ScalarList) return std::nullopt;
        std::size_t index = 0;
        for (const auto& item : value) {
            ++index;
            if (!item.IsScalar()) {
                return at(item, "'" + path + "' must be " + std::string(spec.expected) + "; item " +
                                    std::to_string(index) + " is " + describe(item));
            }
        }
        return std::nullopt;
    }

    static std::string unknown_key(std::string_view name, const std::string& prefix,
                                   std::span<const KeySpec> specs, LayerKind kind) {
        std::vector<std::string_view> candidates;
        for (const auto& spec : specs) {
            if (kind == LayerKind::Environment && spec.name == "environments") continue;
            candidates.push_back(spec.name);
        }
        std::string message = "unknown key '" + std::string(name) + "'";
        if (!prefix.empty()) message += " in '" + prefix + "'";
        return message + util::did_you_mean(name, candidates);
    }

    std::string source_;
};

// File names and URLs go to C APIs that stop at a NUL: "app\0x.db" would open "app".
bool has_nul(std::string_view text) {
    return text.find('\0') != std::string_view::npos;
}
constexpr const char* nul_message = "contains a NUL byte";

// Expands and converts the settings that are in effect after the overlay.
class Resolver {
public:
    Resolver(const Reader& reader, const EnvLookup& env) : reader_(reader), env_(env) {}

    Expected<std::optional<std::string>> text(const Settings& settings, std::string_view name) const {
        const auto found = settings.find(name);
        if (found == settings.end()) return std::optional<std::string>{};
        auto expanded = interpolate(found->second.value.Scalar(), env_);
        if (!expanded) {
            return reader_.at(found->second.value,
                              "'" + found->second.path + "': " + expanded.error().message);
        }
        if (has_nul(*expanded))
            return reader_.at(found->second.value, "'" + found->second.path + "' " + nul_message);
        return std::optional<std::string>{std::move(*expanded)};
    }

    Expected<std::vector<std::string>> text_list(const Settings& settings, std::string_view name) const {
        std::vector<std::string> items;
        const auto found = settings.find(name);
        if (found == settings.end()) return items;
        for (const auto& item : found->second.value) {
            auto expanded = interpolate(item.Scalar(), env_);
            if (!expanded)
                return reader_.at(item, "'" + found->second.path + "': " + expanded.error().message);
            if (has_nul(*expanded)) return reader_.at(item, "'" + found->second.path + "' " + nul_message);
            items.push_back(std::move(*expanded));
        }
        return items;
    }

    [[nodiscard]] Failure at(const Settings& settings, std::string_view name,
                             const std::string& message) const {
        const auto& setting = settings.find(name)->second;
        return reader_.at(setting.value, "'" + setting.path + "' " + message);
    }

private:
    const Reader& reader_;
    const EnvLookup& env_;
};

std::optional<bool> parse_bool(std::string_view text) {
    const std::string lower = util::to_lower(util::trim(text));
    if (lower == "true" || lower == "yes" || lower == "on") return true;
    if (lower == "false" || lower == "no" || lower == "off") return false;
    return std::nullopt;
}

std::optional<int> parse_int(std::string_view text) {
    text = util::trim(text);
    int value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

bool is_env_var_name(std::string_view name) {
    if (name.empty() || util::is_digit(name.front())) return false;
    return std::all_of(name.begin(), name.end(), [](char c) { return util::is_alnum(c) || c == '_'; });
}

// Absolute and lexically normal, without a trailing separator.
fs::path anchor(const fs::path& base_dir, const std::string& text) {
    fs::path path = fs::path(text).is_absolute() ? fs::path(text) : base_dir / text;
    path = path.lexically_normal();
    if (!path.has_filename() && path.has_relative_path()) path = path.parent_path();
    return path;
}

Layer apply_overlay(Layer base, const Layer& overlay) {
    for (const auto& [name, setting] : overlay.top) base.top.insert_or_assign(name, setting);
    for (const auto& [name, setting] : overlay.database) base.database.insert_or_assign(name, setting);
    return base;
}

Expected<Layer> select_environment(const ParsedFile& file, const Overrides& overrides, const Reader& reader) {
    if (!overrides.environment) return file.base;
    const auto& name = *overrides.environment;
    const auto found = file.environments.find(name);
    if (found != file.environments.end()) return apply_overlay(file.base, found->second);
    if (file.environments.empty()) {
        return reader.plain("environment '" + name + "' not found (the file defines no 'environments')");
    }
    std::vector<std::string> names;
    std::vector<std::string_view> candidates;
    for (const auto& entry : file.environments) {
        names.push_back(entry.first);
        candidates.push_back(entry.first);
    }
    return reader.plain("environment '" + name + "' not found" + util::did_you_mean(name, candidates) +
                        "; available: " + util::join(names));
}

// Fills everything but the URL from the effective settings.
Expected<Config> resolve_settings(const Layer& layer, const fs::path& base_dir, const Resolver& resolve,
                                  const Reader& reader) {
    Config config;
    const auto& top = layer.top;

    auto script_location = resolve.text(top, "script_location");
    if (!script_location) return script_location.error();
    if (!*script_location) return reader.plain("missing required key 'script_location'");
    if ((*script_location)->empty()) return resolve.at(top, "script_location", "must not be empty");
    config.script_location = anchor(base_dir, **script_location);

    auto version_locations = resolve.text_list(top, "version_locations");
    if (!version_locations) return version_locations.error();
    if (top.count("version_locations") != 0 && version_locations->empty()) {
        return resolve.at(top, "version_locations", "must list at least one directory");
    }
    for (const auto& location : *version_locations) {
        if (location.empty()) return resolve.at(top, "version_locations", "must not contain an empty path");
        config.version_locations.push_back(anchor(base_dir, location));
    }
    if (config.version_locations.empty())
        config.version_locations.push_back(config.script_location / "versions");

    auto version_table = resolve.text(top, "version_table");
    if (!version_table) return version_table.error();
    if (*version_table) {
        if ((*version_table)->empty()) return resolve.at(top, "version_table", "must not be empty");
        config.version_table = **version_table;
    }

    auto schema = resolve.text(top, "version_table_schema");
    if (!schema) return schema.error();
    if (*schema) config.version_table_schema = **schema;

    auto history_table = resolve.text(top, "history_table");
    if (!history_table) return history_table.error();
    if (*history_table) {
        if ((*history_table)->empty()) return resolve.at(top, "history_table", "must not be empty");
        config.history_table = **history_table;
    }
    if (config.history_table == config.version_table) {
        if (top.count("history_table") != 0)
            return resolve.at(top, "history_table", "must differ from version_table");
        return resolve.at(top, "version_table", "must differ from history_table");
    }

    auto verify = resolve.text(top, "verify");
    if (!verify) return verify.error();
    if (*verify) {
        const auto value = parse_bool(**verify);
        if (!value) return resolve.at(top, "verify", "must be true or false, got '" + **verify + "'");
        config.verify = *value;
    }

    auto file_template = resolve.text(top, "file_template");
    if (!file_template) return file_template.error();
    if (*file_template) {
        if ((*file_template)->empty()) return resolve.at(top, "file_template", "must not be empty");
        config.file_template = **file_template;
    }

    auto slug_length = resolve.text(top, "truncate_slug_length");
    if (!slug_length) return slug_length.error();
    if (*slug_length) {
        const auto value = parse_int(**slug_length);
        if (!value || *value < 1 || *value > max_slug_length) {
            return resolve.at(top, "truncate_slug_length",
                              "must be a whole number from 1 to " + std::to_string(max_slug_length) +
                                  ", got '" + **slug_length + "'");
        }
        config.truncate_slug_length = *value;
    }

    auto per_migration = resolve.text(top, "transaction_per_migration");
    if (!per_migration) return per_migration.error();
    if (*per_migration) {
        const auto value = parse_bool(**per_migration);
        if (!value) {
            return resolve.at(top, "transaction_per_migration",
                              "must be true or false, got '" + **per_migration + "'");
        }
        config.transaction_per_migration = *value;
    }

    auto timezone = resolve.text(top, "timezone");
    if (!timezone) return timezone.error();
    if (*timezone) config.timezone = std::string(util::trim(**timezone));

    auto models = resolve.text(top, "models");
    if (!models) return models.error();
    if (*models) {
        if ((*models)->empty()) return resolve.at(top, "models", "must not be empty");
        config.models = anchor(base_dir, **models);
    }
    for (const auto& [key, target] : {std::pair{"include_tables", &config.include_tables},
                                      std::pair{"exclude_tables", &config.exclude_tables},
                                      std::pair{"include_schemas", &config.include_schemas}}) {
        auto patterns = resolve.text_list(top, key);
        if (!patterns) return patterns.error();
        for (auto& pattern : *patterns) {
            if (pattern.empty()) return resolve.at(top, key, "must not contain an empty pattern");
            target->push_back(std::move(pattern));
        }
    }

    if (const auto lint = top.find("lint"); lint != top.end()) {
        for (const auto& item : lint->second.value) {
            const auto& key = item.first;
            if (!key.IsScalar()) return reader.at(key, "'lint' keys must be rule ids");
            const auto where = "'lint." + key.Scalar() + "'";
            const auto level = item.second.IsScalar() ? std::string(util::trim(item.second.Scalar())) : "";
            if (level != "off" && level != "warning" && level != "error") {
                return reader.at(item.second.IsNull() ? key : item.second,
                                 where + " must be off, warning or error");
            }
            const auto mark = key.Mark();
            config.lint.push_back(
                {key.Scalar(), level, reader.location(mark.line + 1, mark.column + 1) + ": " + where});
        }
    }

    auto url_env = resolve.text(layer.database, "url_env");
    if (!url_env) return url_env.error();
    if (*url_env) {
        // The value is not echoed: a URL pasted here by mistake would carry its password.
        if (!(*url_env)->empty() && !is_env_var_name(**url_env)) {
            return resolve.at(layer.database, "url_env",
                              "must name an environment variable (letters, digits and '_'), not hold a URL");
        }
        config.url_env_var = **url_env;
    }
    return config;
}

// `targets:` as written (URLs expanded when selected) and `targets_from:` (expanded now, like every path).
std::optional<Failure> read_targets(const Layer& layer, const fs::path& base_dir, const Resolver& resolve,
                                    const Reader& reader, Config& config) {
    config.targets_base = base_dir;
    if (const auto targets = layer.top.find("targets"); targets != layer.top.end()) {
        for (const auto& item : targets->second.value) {
            const auto& key = item.first;
            const auto mark = key.Mark();
            if (!key.IsScalar() || !is_target_name(key.Scalar())) {
                return reader.at(key,
                                 "target names must be non-empty words without spaces or control "
                                 "characters");
            }
            TargetSpec spec;
            spec.name = key.Scalar();
            spec.where = reader.location(mark.line + 1, mark.column + 1);
            const auto path = join_path(targets->second.path, spec.name);
            if (item.second.IsScalar()) {
                spec.url = item.second.Scalar();
            } else if (item.second.IsMap()) {
                auto settings = reader.read_nested(item.second, path, target_keys);
                if (!settings) return settings.error();
                const auto url = settings->find("url");
                if (url == settings->end()) return reader.at(key, "'" + path + "' needs a 'url'");
                spec.url = url->second.value.Scalar();
                auto schema = resolve.text(*settings, "version_table_schema");
                if (!schema) return schema.error();
                spec.version_table_schema = *schema;
            } else {
                return reader.at(item.second.IsNull() ? key : item.second,
                                 "'" + path +
                                     "' must be a database URL or a mapping with url and "
                                     "version_table_schema, not " +
                                     (item.second.IsNull() ? std::string("empty") : describe(item.second)));
            }
            if (util::trim(spec.url).empty()) return reader.at(key, "'" + path + "' has an empty URL");
            if (has_nul(spec.url)) return reader.at(key, "'" + path + "' " + nul_message);
            for (const auto& other : config.targets) {
                if (other.name == spec.name) return reader.at(key, "duplicate target '" + spec.name + "'");
            }
            config.targets.push_back(std::move(spec));
        }
    }
    const auto from = layer.top.find("targets_from");
    if (from == layer.top.end()) return std::nullopt;
    TargetSource source;
    source.directory = base_dir;
    const auto mark = from->second.value.Mark();
    source.where = reader.location(mark.line + 1, mark.column + 1) + ": '" + from->second.path + "'";
    std::optional<std::string> value;
    if (from->second.value.IsScalar()) {
        auto file = resolve.text(layer.top, "targets_from");
        if (!file) return file.error();
        value = *file;
    } else {
        auto settings = reader.read_nested(from->second.value, from->second.path, target_source_keys);
        if (!settings) return settings.error();
        if (settings->size() != 1) {
            return reader.at(from->second.value,
                             "'" + from->second.path + "' must have exactly one of 'file' and 'command'");
        }
        const auto& name = settings->begin()->first;
        if (name == "command") source.kind = TargetSourceKind::Command;
        auto text = resolve.text(*settings, name);
        if (!text) return text.error();
        value = *text;
    }
    if (!value || util::trim(*value).empty()) {
        return reader.at(from->second.value, "'" + from->second.path + "' must not be empty");
    }
    source.value = source.kind == TargetSourceKind::File ? anchor(base_dir, *value).string() : *value;
    config.targets_from = std::move(source);
    return std::nullopt;
}

// --url, then the url_env variable, then database.url; the file's URL is expanded only when it is used.
Expected<std::string> choose_database_url(const Layer& layer, const Config& config,
                                          const Overrides& overrides, const EnvLookup& env,
                                          const Resolver& resolve, bool& from_file_chosen) {
    if (overrides.url) {
        if (has_nul(*overrides.url)) return fail(std::string("--url ") + nul_message);
        return *overrides.url;
    }
    if (!config.url_env_var.empty()) {
        auto from_env = env(config.url_env_var);
        if (from_env && has_nul(*from_env))
            return fail("environment variable " + config.url_env_var + " " + nul_message);
        if (from_env && !from_env->empty()) return std::move(*from_env);
    }
    auto from_file = resolve.text(layer.database, "url");
    if (!from_file) return from_file.error();
    from_file_chosen = true;
    return from_file->value_or(std::string{});
}

}  // namespace

Expected<Config> parse_config(std::string_view yaml_text, const fs::path& base_dir,
                              const Overrides& overrides, const EnvLookup& env,
                              std::string_view source_name) {
    const Reader reader{std::string(source_name)};
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& error) {
        if (error.mark.is_null()) return reader.plain(error.msg);
        return fail(std::string(source_name) + ":" + std::to_string(error.mark.line + 1) + ":" +
                    std::to_string(error.mark.column + 1) + ": " + error.msg);
    }

    try {
        auto file = reader.read(root);
        if (!file) return file.error();
        auto layer = select_environment(*file, overrides, reader);
        if (!layer) return layer.error();

        const fs::path absolute_base = fs::absolute(base_dir).lexically_normal();
        const Resolver resolve{reader, env};
        auto config = resolve_settings(*layer, absolute_base, resolve, reader);
        if (!config) return config;
        bool url_from_file = false;
        auto url = choose_database_url(*layer, *config, overrides, env, resolve, url_from_file);
        if (!url) return url.error();
        config->database_url = std::move(*url);
        if (url_from_file) config->database_url_base = absolute_base;
        if (auto failure = read_targets(*layer, absolute_base, resolve, reader, *config)) return *failure;
        config->x_arguments = overrides.x_arguments;
        config->environment = overrides.environment.value_or(std::string{});
        return config;
    } catch (const YAML::Exception& error) {
        // Not expected once the text parsed; kept so a yaml-cpp surprise still names the file.
        return reader.plain(error.msg);
    }
}

Expected<Config> parse_config(std::string_view yaml_text, const fs::path& base_dir,
                              const Overrides& overrides, const EnvLookup& env) {
    return parse_config(yaml_text, base_dir, overrides, env, "migrator.yaml");
}

Expected<Config> load_config(const fs::path& file, const Overrides& overrides, const EnvLookup& env) {
    const std::string shown = file.string();
    std::error_code error;
    const auto status = fs::status(file, error);
    if (!fs::exists(status)) {
        return fail("config file '" + shown + "' not found (use -c FILE or run 'migrator init DIR')");
    }
    if (fs::is_directory(status)) return fail("config file '" + shown + "' is a directory, not a file");

    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    if (!in || in.bad()) {
        return fail("cannot read config file '" + shown + "': " + std::strerror(errno));
    }

    const fs::path absolute_file = fs::absolute(file).lexically_normal();
    auto config = parse_config(text.str(), absolute_file.parent_path(), overrides, env, shown);
    if (!config) return config;
    config->config_file = absolute_file;
    return config;
}

}  // namespace migrator::config
