#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <string>

#include "config/config.hpp"

using migrator::config::EnvLookup;
using migrator::config::interpolate;

namespace {

EnvLookup env_of(std::map<std::string, std::string, std::less<>> variables) {
    return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
        const auto found = variables.find(name);
        if (found == variables.end()) return std::nullopt;
        return found->second;
    };
}

std::string expand(std::string_view text, const EnvLookup& env) {
    return interpolate(text, env).value();
}

std::string failure_of(std::string_view text, const EnvLookup& env) {
    const auto result = interpolate(text, env);
    REQUIRE_FALSE(result.has_value());
    return result.error().message;
}

}  // namespace

TEST_CASE("interpolate fills ${VAR} from the environment", "[config]") {
    const auto env = env_of({{"HOST", "db.local"}, {"PORT", "5432"}, {"EMPTY", ""}});
    CHECK(expand("no placeholders", env) == "no placeholders");
    CHECK(expand("", env).empty());
    CHECK(expand("${HOST}", env) == "db.local");
    CHECK(expand("postgresql://${HOST}:${PORT}/app", env) == "postgresql://db.local:5432/app");
    CHECK(expand("${HOST}${PORT}", env) == "db.local5432");
    CHECK(expand("[${EMPTY}]", env) == "[]");
}

TEST_CASE("interpolate uses the default when the variable is unset or empty", "[config]") {
    const auto env = env_of({{"SET", "value"}, {"EMPTY", ""}});
    CHECK(expand("${UNSET:-fallback}", env) == "fallback");
    CHECK(expand("${EMPTY:-fallback}", env) == "fallback");
    CHECK(expand("${SET:-fallback}", env) == "value");
    CHECK(expand("${UNSET:-}", env).empty());
    CHECK(expand("${UNSET:-a:b/c?d=e}", env) == "a:b/c?d=e");
    CHECK(expand("x${UNSET:-y}z", env) == "xyz");
}

TEST_CASE("interpolate expands nested defaults only when they are used", "[config]") {
    const auto env = env_of({{"OUTER", "outer"}, {"INNER", "inner"}});
    CHECK(expand("${UNSET:-${INNER}}", env) == "inner");
    CHECK(expand("${UNSET:-${ALSO_UNSET:-deep}}", env) == "deep");
    CHECK(expand("${UNSET:-pre-${INNER:-x}-post}", env) == "pre-inner-post");
    CHECK(expand("${UNSET:-${NOPE:-${INNER}}}", env) == "inner");
    // The default of a set variable is never looked at, so an unset variable inside it is fine.
    CHECK(expand("${OUTER:-${MISSING}}", env) == "outer");
    CHECK_THAT(failure_of("${UNSET:-${MISSING}}", env), Catch::Contains("'MISSING' is not set"));
}

TEST_CASE("interpolate treats $$ as a literal dollar and leaves a lone $ alone", "[config]") {
    const auto env = env_of({{"A", "a"}});
    CHECK(expand("$$", env) == "$");
    CHECK(expand("$${A}", env) == "${A}");
    CHECK(expand("$$$${A}", env) == "$${A}");
    CHECK(expand("$$${A}", env) == "$a");
    CHECK(expand("pa$word", env) == "pa$word");
    CHECK(expand("costs 5$", env) == "costs 5$");
    CHECK(expand("${UNSET:-$$}", env) == "$");
}

TEST_CASE("interpolate failures name the variable and never echo the text", "[config]") {
    const auto env = env_of({});
    CHECK_THAT(failure_of("${DATABASE_HOST}", env),
               Catch::Contains("environment variable 'DATABASE_HOST' is not set") &&
                   Catch::Contains("${DATABASE_HOST:-default}"));
    CHECK_THAT(failure_of("${A", env), Catch::Contains("unterminated '${A'"));
    CHECK_THAT(failure_of("${A:-x", env), Catch::Contains("unterminated '${A'"));
    CHECK_THAT(failure_of("${A:-${B:-x}", env), Catch::Contains("unterminated '${A'"));
    CHECK_THAT(failure_of("${}", env), Catch::Contains("must be followed by a variable name"));
    CHECK_THAT(failure_of("${1A}", env), Catch::Contains("must be followed by a variable name"));
    CHECK_THAT(failure_of("${A:?required}", env), Catch::Contains("only ${NAME} and ${NAME:-default}"));
    CHECK_THAT(failure_of("${A-x}", env), Catch::Contains("only ${NAME} and ${NAME:-default}"));
    const auto message = failure_of("postgresql://app:S3cr3tPw@h/${MISSING_DB}", env);
    CHECK_THAT(message, Catch::Contains("MISSING_DB") && !Catch::Contains("S3cr3tPw"));
}

TEST_CASE("process_environment reads the real environment", "[config]") {
    const auto env = migrator::config::process_environment();
    const char* name = "MIGRATOR_CONFIG_TEST_VARIABLE_7F3A";
    ::unsetenv(name);
    CHECK_FALSE(env(name).has_value());
    ::setenv(name, "from the process", 1);
    CHECK(env(name) == std::optional<std::string>{"from the process"});
    ::setenv(name, "", 1);
    CHECK(env(name) == std::optional<std::string>{""});
    ::unsetenv(name);
}
