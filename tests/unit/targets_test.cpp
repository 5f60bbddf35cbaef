#include "config/targets.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "temp_dir.hpp"

namespace fs = std::filesystem;
using migrator::Expected;
using migrator::config::Config;
using migrator::config::config_for_target;
using migrator::config::list_targets;
using migrator::config::parse_config;
using migrator::config::parse_target_list;
using migrator::config::read_target_source;
using migrator::config::TargetSource;
using migrator::config::TargetSourceKind;
using migrator::config::TargetSpec;

namespace {

using Variables = std::map<std::string, std::string, std::less<>>;

migrator::config::EnvLookup env_of(Variables variables) {
    return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
        const auto found = variables.find(name);
        if (found == variables.end()) return std::nullopt;
        return found->second;
    };
}

Config parse_ok(const std::string& yaml, const Variables& variables = {}) {
    auto config = parse_config(yaml, "/project", {}, env_of(variables));
    INFO(yaml);
    if (!config) FAIL(config.error().message);
    return std::move(config).value();
}

std::string list_error(const std::string& text) {
    auto targets = parse_target_list(text, "tenants.txt");
    INFO(text);
    REQUIRE_FALSE(targets.has_value());
    return targets.error().message;
}

Expected<std::string> no_source(const TargetSource& /*source*/) {
    return migrator::fail("no targets_from expected");
}

}  // namespace

TEST_CASE("a target list: URL, NAME URL or NAME URL SCHEMA per line", "[targets]") {
    const auto targets = parse_target_list(
        "# tenants\n"
        "\n"
        "sqlite:///t1.db\n"
        "  t2   postgresql://app:s3cret@db/app  \n"
        "t3\tpostgresql://app@db/app?options=-csearch_path%3Dt3 t3\n",
        "tenants.txt");
    REQUIRE(targets.has_value());
    REQUIRE(targets->size() == 3);
    CHECK((*targets)[0].name == "sqlite:///t1.db");
    CHECK((*targets)[0].where == "tenants.txt:3");
    CHECK((*targets)[1].name == "t2");
    CHECK((*targets)[1].url == "postgresql://app:s3cret@db/app");
    CHECK((*targets)[2].version_table_schema == "t3");
    CHECK((*targets)[2].where == "tenants.txt:5");
}

TEST_CASE("a target list's bad lines name the line, never the password", "[targets]") {
    const auto too_many = list_error("# a\n\nt1 postgresql://u:hunter2@h/d s extra\n");
    CHECK(too_many ==
          "tenants.txt:3: expected 'URL', 'NAME URL' or 'NAME URL VERSION_TABLE_SCHEMA', found 4 fields");
    const auto bad_url = list_error("nosuch://u:hunter2@h/d\n");
    CHECK(bad_url.starts_with("tenants.txt:1: "));
    CHECK(bad_url.find("hunter2") == std::string::npos);
}

TEST_CASE("an unnamed target is named by its URL without the password", "[targets]") {
    const auto targets = parse_target_list("postgresql://app:hunter2@db/t1\n", "list");
    REQUIRE(targets.has_value());
    CHECK((*targets)[0].name == "postgresql://app:***@db/t1");
}

TEST_CASE("list_targets: targets first, then the list; a name given twice names both places", "[targets]") {
    auto config = parse_ok("script_location: m\ntargets:\n  a: sqlite:///a.db\ntargets_from: list.txt\n");
    const auto reader = [](const TargetSource& source) -> Expected<std::string> {
        CHECK(source.value == "/project/list.txt");
        return std::string("b sqlite:///b.db\n");
    };
    const auto targets = list_targets(config, reader);
    REQUIRE(targets.has_value());
    REQUIRE(targets->size() == 2);
    CHECK((*targets)[1].name == "b");

    const auto twice = list_targets(config, [](const TargetSource&) -> Expected<std::string> {
        return std::string("\na sqlite:///other.db\n");
    });
    REQUIRE_FALSE(twice.has_value());
    CHECK(twice.error().message == "/project/list.txt:2: target 'a' is already defined at migrator.yaml:3:3");
    config.targets_from.reset();
    CHECK(list_targets(config, no_source).has_value());
}

TEST_CASE("config_for_target: the URL expanded and checked, the schema replaced", "[targets]") {
    const auto config = parse_ok("script_location: m\nversion_table_schema: ops\n");
    TargetSpec target{"eu", "postgresql://app:${PW}@db/app", std::nullopt, "migrator.yaml:4:3"};
    const auto made = config_for_target(config, target, env_of({{"PW", "s3cret"}}));
    REQUIRE(made.has_value());
    CHECK(made->database_url == "postgresql://app:s3cret@db/app");
    CHECK(made->version_table_schema == "ops");
    CHECK(made->database_url_base == "/project");

    target.version_table_schema = "tenant_eu";
    CHECK(config_for_target(config, target, env_of({{"PW", "x"}}))->version_table_schema == "tenant_eu");

    const auto unset = config_for_target(config, target, env_of({}));
    REQUIRE_FALSE(unset.has_value());
    CHECK(unset.error().message.starts_with(
        "migrator.yaml:4:3: target 'eu': environment variable 'PW' is not set"));

    const TargetSpec bad{"b", "nosuch://u:hunter2@h/d", std::nullopt, "list:2"};
    const auto refused = config_for_target(config, bad, env_of({}));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message.starts_with("list:2: target 'b': "));
    CHECK(refused.error().message.find("hunter2") == std::string::npos);
}

TEST_CASE("a listed URL is taken literally: '$' is not expanded", "[targets]") {
    const auto config = parse_ok("script_location: m\n");
    const auto targets = parse_target_list("t postgresql://app:pa$${x}@db/app\n", "list");
    REQUIRE(targets.has_value());
    const auto made = config_for_target(config, (*targets)[0], env_of({}));
    REQUIRE(made.has_value());
    CHECK(made->database_url == "postgresql://app:pa$${x}@db/app");
}

TEST_CASE("read_target_source: a file, a command's stdout in the config's directory, failures named",
          "[targets]") {
    const test::TempDir dir;
    dir.write("list.txt", "a sqlite:///a.db\n");
    TargetSource source;
    source.where = "migrator.yaml:3:1: 'targets_from'";
    source.directory = dir.path();
    source.value = (dir.path() / "list.txt").string();
    CHECK(read_target_source(source).value() == "a sqlite:///a.db\n");

    source.kind = TargetSourceKind::Command;
    source.value = "cat list.txt; echo b sqlite:///b.db";
    CHECK(read_target_source(source).value() == "a sqlite:///a.db\nb sqlite:///b.db\n");

    source.value = "exit 3";
    const auto failed = read_target_source(source);
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().message ==
          "migrator.yaml:3:1: 'targets_from': command 'exit 3' failed with exit status 3");

    source.kind = TargetSourceKind::File;
    source.value = (dir.path() / "missing.txt").string();
    const auto missing = read_target_source(source);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().message.find("missing.txt") != std::string::npos);
}
