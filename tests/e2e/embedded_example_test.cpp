// examples/embedded: a service with its scripts compiled in upgrades its database at start-up, through
// the embedding API (docs/embedding.md), on each backend.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "backend_cases.hpp"
#include "e2e_support.hpp"
#include "run_program.hpp"

namespace {

using Rows = std::vector<std::string>;

const std::string first = "5e1d0c7a2b94";
const std::string second = "a7c3e9f1d206";

void service_upgrades_at_start_up(e2e::Backend backend) {
    const e2e::Project project(backend);
    const std::map<std::string, std::string> env{{"DATABASE_URL", project.url()}};

    const auto started = e2e::run_program(EMBEDDED_SERVICE_BINARY, {}, env, project.dir());
    INFO(started.err);
    REQUIRE(started.exit_code == 0);
    const auto out = e2e::lines(started.out);
    REQUIRE(out.size() == 4);
    CHECK_THAT(out[0], Catch::StartsWith("applied " + first + " (create orders table) in "));
    CHECK_THAT(out[1], Catch::StartsWith("applied " + second + " (add total to orders) in "));
    CHECK(out[2] == "2 migration(s) applied; at " + second);
    CHECK(out[3] == "serving");
    // The log callback got the runtime's lines, naming the compiled-in scripts' revisions.
    CHECK_THAT(started.err, Catch::Contains("migrator info: [1/2] Running upgrade  -> " + first));
    CHECK(project.versions() == Rows{second});
    CHECK(project.columns("orders") == Rows{"id", "customer", "total"});

    // The next start finds the database up to date.
    const auto again = e2e::run_program(EMBEDDED_SERVICE_BINARY, {}, env, project.dir());
    REQUIRE(again.exit_code == 0);
    CHECK(e2e::lines(again.out) == Rows{"0 migration(s) applied; at " + second, "serving"});
}

void service_stops_when_its_migration_fails(e2e::Backend backend) {
    const e2e::Project project(backend);
    project.execute("CREATE TABLE orders (id INTEGER)");
    const auto result =
        e2e::run_program(EMBEDDED_SERVICE_BINARY, {}, {{"DATABASE_URL", project.url()}}, project.dir());
    CHECK(result.exit_code == 1);
    CHECK_THAT(
        result.err,
        Catch::Contains("embedded_service: cannot migrate the database: ") &&
            Catch::Contains("migration 0001_5e1d0c7a2b94_create_orders_table.sql (5e1d0c7a2b94) failed"));
    CHECK_THAT(result.out, !Catch::Contains("serving"));
    CHECK(project.columns("orders") == Rows{"id"});
}

const bool registered = e2e::register_backend_cases({
    e2e::make_case<service_upgrades_at_start_up>(
        "the embedded example upgrades its database at start-up with its scripts compiled in", "[embedded]"),
    e2e::make_case<service_stops_when_its_migration_fails>(
        "the embedded example reports a failing compiled-in migration and does not serve", "[embedded]"),
});

}  // namespace
