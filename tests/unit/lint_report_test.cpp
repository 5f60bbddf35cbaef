#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

#include "render/lint_report.hpp"

using migrator::lint::Finding;
using migrator::lint::Severity;
using migrator::render::LintReport;

namespace {

LintReport sample() {
    LintReport report;
    report.scripts = 2;
    report.findings.push_back({"drop-table", Severity::Error, "aaaaaaaaaaaa", "v/0001_a,b.sql", 7,
                               "DROP TABLE users", "drops table users", "100% gone\nreally", "keep: it"});
    report.findings.push_back({"missing-downgrade", Severity::Warning, "bbbbbbbbbbbb", "v/0002_b.sql", 9, "",
                               "the downgrade section is empty", "why", "fix"});
    return report;
}

}  // namespace

TEST_CASE("github annotations escape their properties and message", "[lint]") {
    std::ostringstream out;
    migrator::render::print_github(out, sample());
    CHECK(
        out.str() ==
        "::error file=v/0001_a%2Cb.sql,line=7,title=migrator lint drop-table::drops table users%0AWhy: "
        "100%25 "
        "gone%0Areally%0AInstead: keep: it\n"
        "::warning file=v/0002_b.sql,line=9,title=migrator lint missing-downgrade::the downgrade section is "
        "empty%0AWhy: why%0AInstead: fix\n");
}

TEST_CASE("lint JSON counts errors and warnings", "[lint]") {
    std::ostringstream out;
    migrator::render::print_json(out, sample());
    const auto document = nlohmann::json::parse(out.str());
    CHECK(document["errors"] == 1);
    CHECK(document["warnings"] == 1);
    CHECK(document["scripts"] == 2);
    CHECK(document["findings"][0]["rule"] == "drop-table");
    CHECK(document["findings"][1]["statement"].is_null());
}

TEST_CASE("lint text names each finding and sums up", "[lint]") {
    std::ostringstream out;
    migrator::render::print_text(out, sample());
    CHECK(out.str().starts_with(
        "v/0001_a,b.sql:7: error [drop-table] drops table users\n    DROP TABLE users\n"));
    CHECK(out.str().ends_with("1 error, 1 warning in 2 scripts.\n"));
}
