#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

#include "render/revision_listing.hpp"

using migrator::render::print_json;
using migrator::render::RevisionEntry;
using migrator::render::RevisionListing;

TEST_CASE("print_json tells version rows from effective heads", "[render]") {
    RevisionEntry row;
    row.revision = "c";
    row.is_current = true;
    RevisionEntry dependency;
    dependency.revision = "l";
    dependency.is_effective_head = true;
    std::ostringstream out;
    print_json(out, RevisionListing{"current", {row, dependency}});
    const auto json = nlohmann::json::parse(out.str());
    REQUIRE(json["current"].size() == 2);
    CHECK(json["current"][0]["is_current"] == true);
    CHECK(json["current"][0]["is_effective_head"] == false);
    CHECK(json["current"][1]["is_current"] == false);
    CHECK(json["current"][1]["is_effective_head"] == true);
}
