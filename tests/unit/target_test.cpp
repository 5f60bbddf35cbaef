#include "script/target.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using migrator::script::parse_target;
using migrator::script::split_range;
using migrator::script::Target;
using migrator::script::TargetKind;
using migrator::script::TargetRange;

TEST_CASE("parse_target reads every form of Alembic's grammar", "[graph]") {
    struct Row {
        const char* text;
        TargetKind kind;
        const char* branch;
        const char* symbol;
        int steps;
    };
    // Forms from Alembic's tutorial ("Relative Migration Identifiers", "Working with Branches").
    const std::vector<Row> rows = {
        {"head", TargetKind::Head, "", "head", 0},
        {"heads", TargetKind::Heads, "", "heads", 0},
        {"base", TargetKind::Base, "", "base", 0},
        {"ae1027a6acf", TargetKind::Revision, "", "ae1027a6acf", 0},
        {"ae10", TargetKind::Revision, "", "ae10", 0},
        {"+2", TargetKind::Relative, "", "", 2},
        {"-1", TargetKind::Relative, "", "", -1},
        {"ae10+2", TargetKind::Relative, "", "ae10", 2},
        {"ae10-2", TargetKind::Relative, "", "ae10", -2},
        {"base+2", TargetKind::Relative, "", "base", 2},
        {"mybranch@head", TargetKind::Head, "mybranch", "head", 0},
        {"mybranch@heads", TargetKind::Heads, "mybranch", "heads", 0},
        {"mybranch@base", TargetKind::Base, "mybranch", "base", 0},
        {"mybranch@ae10", TargetKind::Revision, "mybranch", "ae10", 0},
        {"mybranch@+2", TargetKind::Relative, "mybranch", "", 2},
        {"mybranch@-1", TargetKind::Relative, "mybranch", "", -1},
        {"mybranch@head-1", TargetKind::Relative, "mybranch", "head", -1},
        {"c2branch@base+3", TargetKind::Relative, "c2branch", "base", 3},
        {"my-branch@head", TargetKind::Head, "my-branch", "head", 0},
        {"+12", TargetKind::Relative, "", "", 12},
    };
    for (const Row& row : rows) {
        INFO(row.text);
        const auto parsed = parse_target(row.text);
        REQUIRE(parsed.has_value());
        CHECK(parsed->kind == row.kind);
        CHECK(parsed->branch == row.branch);
        CHECK(parsed->symbol == row.symbol);
        CHECK(parsed->steps == row.steps);
        CHECK(parsed->text == row.text);
    }
}

TEST_CASE("parse_target refuses empty targets", "[graph]") {
    CHECK_FALSE(parse_target("").has_value());
    const auto dangling = parse_target("mybranch@");
    REQUIRE_FALSE(dangling.has_value());
    CHECK(dangling.error().message.find("mybranch@") != std::string::npos);
    CHECK_FALSE(parse_target("+99999999999").has_value());
}

TEST_CASE("parse_target refuses text after a relative number, which Alembic ignores", "[graph]") {
    for (const char* text :
         {"+2abc", "+1e3", "-1x", "ae10+2z", "mybranch@+1x", "mybranch@head-1.5", "a@b@-1 "}) {
        INFO(text);
        const auto parsed = parse_target(text);
        REQUIRE_FALSE(parsed.has_value());
        CHECK(parsed.error().message.find(std::string("'") + text + "'") != std::string::npos);
    }
    const auto garbage = parse_target("+2abc");
    REQUIRE_FALSE(garbage.has_value());
    CHECK(garbage.error().message == "revision target '+2abc' has 'abc' after the number +2");
}

TEST_CASE("parse_target refuses a walk below base", "[graph]") {
    for (const char* text : {"base-1", "mybranch@base-2"}) {
        INFO(text);
        const auto parsed = parse_target(text);
        REQUIRE_FALSE(parsed.has_value());
        CHECK(parsed.error().message == std::string("revision target '") + text + "' walks below base");
    }
}

TEST_CASE("parse_target still takes the first '@' that makes a whole relative target", "[graph]") {
    const auto parsed = parse_target("a@b@-1");
    REQUIRE(parsed.has_value());
    CHECK(parsed->branch == "a@b");
    CHECK(parsed->steps == -1);
}

TEST_CASE("split_range separates START:END", "[graph]") {
    CHECK(split_range("base:head").value() == TargetRange{"base", "head"});
    CHECK(split_range("ae10:mybranch@head").value() == TargetRange{"ae10", "mybranch@head"});
    CHECK(split_range(":head").value() == TargetRange{"", "head"});
    CHECK(split_range("head").value() == TargetRange{std::nullopt, "head"});
    CHECK_FALSE(split_range("a:b:c").has_value());
}
