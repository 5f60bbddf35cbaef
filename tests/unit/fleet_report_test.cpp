#include "render/fleet_report.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

using migrator::render::FleetProgress;
using migrator::render::ProgressStyle;
using migrator::render::TargetOutcome;
using migrator::render::TargetState;

namespace {

std::vector<TargetOutcome> three_targets() {
    std::vector<TargetOutcome> targets(3);
    targets[0].name = "eu";
    targets[0].url = "postgresql://app:***@eu/app";
    targets[0].state = TargetState::Done;
    targets[0].output = "{\"schema_version\": 1, \"changed\": true}\n";
    targets[1].name = "us";
    targets[1].url = "postgresql://app:***@us/app";
    targets[1].state = TargetState::Failed;
    targets[1].exit_code = 2;
    targets[1].error =
        migrator::render::describe_error("versions/0002_b.sql:1: table b exists", 2, "database");
    targets[1].output = "{\"half\": ";
    targets[2].name = "ap";
    targets[2].state = TargetState::NotRun;
    return targets;
}

}  // namespace

TEST_CASE("a fleet's text output: each target's lines prefixed with its name, in order", "[fleet_report]") {
    auto targets = three_targets();
    targets[0].output = "abc (head)\ndef\n";
    targets[1].output = "";
    targets[2].output = "xyz (head)";
    std::ostringstream out;
    migrator::render::print_fleet_text(out, targets);
    CHECK(out.str() == "eu: abc (head)\neu: def\nap: xyz (head)\n");
}

TEST_CASE("a fleet's JSON: a record per target with its own document or its error, and the counts",
          "[fleet_report]") {
    std::ostringstream out;
    migrator::render::print_fleet_json(out, "upgrade", three_targets(), 42);
    const auto document = nlohmann::json::parse(out.str());
    CHECK(document["schema_version"] == 1);
    CHECK(document["command"] == "upgrade");
    CHECK(document["duration_ms"] == 42);
    CHECK(document["summary"] ==
          nlohmann::json::parse(
              R"({"targets": 3, "done": 1, "not_up_to_date": 0, "failed": 1, "not_run": 1})"));
    const auto& targets = document["targets"];
    REQUIRE(targets.size() == 3);
    CHECK(targets[0]["status"] == "done");
    CHECK(targets[0]["result"]["changed"] == true);
    CHECK(targets[0]["error"].is_null());
    CHECK(targets[1]["status"] == "failed");
    CHECK(targets[1]["url"] == "postgresql://app:***@us/app");
    CHECK(targets[1]["result"].is_null());  // half a document is not a result
    CHECK(targets[1]["error"]["message"] == "versions/0002_b.sql:1: table b exists");
    CHECK(targets[1]["error"]["kind"] == "database");
    CHECK(targets[1]["error"]["file"] == "versions/0002_b.sql");
    CHECK(targets[2]["status"] == "not_run");
    CHECK(targets[2]["result"].is_null());
}

TEST_CASE("the live table shows the counts and each running target's step, and is erased at the end",
          "[fleet_report]") {
    std::ostringstream err;
    auto targets = three_targets();
    for (auto& target : targets) target.state = TargetState::Pending;
    FleetProgress progress(err, ProgressStyle::Live, targets, 80);
    progress.started(0);
    progress.step_started(0, 2, 5);
    const auto drawn = err.str();
    CHECK(drawn.find("targets: 0 done, 0 failed, 1 running, 2 pending\n  eu  step 2/5\n") !=
          std::string::npos);
    progress.finish();
    CHECK(err.str().ends_with("\x1b[2A\r\x1b[J"));
}

TEST_CASE("off a terminal the table is not drawn", "[fleet_report]") {
    std::ostringstream err;
    FleetProgress progress(err, ProgressStyle::Lines, three_targets(), 80);
    progress.started(1);
    progress.step_started(1, 1, 3);
    progress.finish();
    CHECK(err.str().empty());
}
