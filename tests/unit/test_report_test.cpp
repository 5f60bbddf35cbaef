#include "render/test_report.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

using migrator::render::TestCheck;
using migrator::render::TestFailure;
using migrator::render::TestReport;

namespace {

TestReport failed_report() {
    TestReport report;
    report.scratch = "a SQLite temporary file";
    report.heads = {"bbbb"};
    report.revisions = 2;
    report.round_trips = 1;
    TestFailure failure;
    failure.check = TestCheck::SchemaRestored;
    failure.revision = "bbbb";
    failure.path = "versions/2_bbbb.sql";
    failure.message =
        "the downgrade of bbbb (versions/2_bbbb.sql) does not restore the schema its upgrade started from";
    migrator::schema::DropColumn drop;
    drop.table.name = "users";
    drop.column.name = "email";
    failure.differences.push_back({drop, {}});
    report.failure = std::move(failure);
    return report;
}

}  // namespace

TEST_CASE("a passing test prints one OK line", "[test_report]") {
    TestReport report;
    report.scratch = "PostgreSQL database migrator_test_0123456789ab";
    report.revisions = 3;
    report.round_trips = 3;
    report.end_to_end = true;
    std::ostringstream out;
    print_text(out, report);
    CHECK(out.str() ==
          "OK: 3 revision(s) tested on PostgreSQL database migrator_test_0123456789ab: each downgrade "
          "restores the "
          "schema, and the range downgrades and upgrades again end to end\n");
}

TEST_CASE("a failing test prints the message and the differences in check's words", "[test_report]") {
    std::ostringstream out;
    print_text(out, failed_report());
    CHECK(out.str() ==
          "FAILED: the downgrade of bbbb (versions/2_bbbb.sql) does not restore the schema its upgrade "
          "started from\n"
          "To restore the schema, the downgrade would also need to:\n"
          "  drop column users.email\n"
          "1 of 2 revision(s) passed before the failure, on a SQLite temporary file\n");
}

TEST_CASE("the JSON report names the check, the revision and each difference", "[test_report]") {
    std::ostringstream out;
    print_json(out, failed_report());
    const auto json = nlohmann::json::parse(out.str());
    CHECK(json["schema_version"] == 1);
    CHECK(json["command"] == "test");
    CHECK(json["passed"] == false);
    CHECK(json["failure"]["check"] == "schema_restored");
    CHECK(json["failure"]["revision"] == "bbbb");
    CHECK(json["failure"]["differences"][0]["kind"] == "drop_column");
    CHECK(json["failure"]["differences"][0]["description"] == "drop column users.email");

    TestReport graph;
    graph.failure = TestFailure{TestCheck::Heads, "", "", "the scripts have 2 heads", {}};
    std::ostringstream second;
    print_json(second, graph);
    const auto heads = nlohmann::json::parse(second.str());
    CHECK(heads["failure"]["check"] == "heads");
    CHECK(heads["failure"]["revision"].is_null());
    CHECK(heads["failure"]["path"].is_null());
}

TEST_CASE("every check has a stable name", "[test_report]") {
    CHECK(check_name(TestCheck::Heads) == "heads");
    CHECK(check_name(TestCheck::Scripts) == "scripts");
    CHECK(check_name(TestCheck::Upgrade) == "upgrade");
    CHECK(check_name(TestCheck::Downgrade) == "downgrade");
    CHECK(check_name(TestCheck::SchemaRestored) == "schema_restored");
    CHECK(check_name(TestCheck::Reupgrade) == "reupgrade");
    CHECK(check_name(TestCheck::EndToEnd) == "end_to_end");
}
