#include "script/revision_map.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "graph_specs.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;
using migrator::script::MultipleHeadsError;
using migrator::script::RevisionMap;
using migrator::script::Script;
using migrator::script::SpliceMode;
using test::make;
using test::scripts;
using test::Spec;

namespace {

std::vector<std::string> ids(const std::vector<const migrator::script::Revision*>& revisions) {
    std::vector<std::string> out;
    out.reserve(revisions.size());
    for (const auto* revision : revisions) out.emplace_back(revision->id());
    return out;
}

// test_revision.py's branch fixture: a -> b branches into c1 -> d1 and c2 -> d2, labels on c1 and c2.
RevisionMap branched() {
    return make({{"aaaa01", {}},
                 {"bbbb01", {"aaaa01"}},
                 {"cccc01", {"bbbb01"}, {}, {"c1branch"}},
                 {"dddd01", {"cccc01"}},
                 {"cccc02", {"bbbb01"}, {}, {"c2branch"}},
                 {"dddd02", {"cccc02"}}});
}

}  // namespace

TEST_CASE("heads, real heads, bases and branch points follow Alembic", "[graph]") {
    // DependsOnBranchTestOne-like: c2 depends on c1, so c1's line still has an effective head of its own.
    const auto map = make({{"a1", {}}, {"b1", {"a1"}}, {"a2", {}}, {"b2", {"a2"}, {"b1"}}, {"c2", {"b2"}}});
    CHECK(map.heads() == std::vector<std::string>{"b1", "c2"});
    CHECK(map.real_heads() == std::vector<std::string>{"c2"});
    CHECK(map.bases() == std::vector<std::string>{"a1", "a2"});
    const auto* b1 = map.find("b1");
    REQUIRE(b1 != nullptr);
    CHECK(b1->is_head());
    CHECK_FALSE(b1->is_real_head());
    CHECK(map.find("b2")->dependencies() == std::vector<std::string>{"b1"});
    CHECK(map.find("nope") == nullptr);

    const auto tree = branched();
    CHECK(tree.branch_points() == std::vector<std::string>{"bbbb01"});
    CHECK(tree.find("bbbb01")->next_revisions() == std::vector<std::string>{"cccc01", "cccc02"});
    CHECK(tree.find("bbbb01")->is_branch_point());
}

TEST_CASE("revisions() is topological, bases first, and history is its reverse", "[graph]") {
    const auto map = branched();
    std::vector<std::string> order;
    for (const auto& revision : map.revisions()) order.emplace_back(revision.id());
    // Reverse of Alembic's walk_revisions for this fixture (heads taken in file order).
    CHECK(order == std::vector<std::string>{"aaaa01", "bbbb01", "cccc02", "dddd02", "cccc01", "dddd01"});
    auto newest_first = order;
    std::reverse(newest_first.begin(), newest_first.end());
    CHECK(ids(map.history("", {})) == newest_first);
    for (std::size_t i = 0; i < map.size(); ++i)
        CHECK(map.index_of(map.at(static_cast<RevisionMap::Index>(i))) == i);
}

TEST_CASE("history ranges follow command.history", "[graph]") {
    const auto map = branched();
    CHECK(ids(map.history("bbbb01:dddd01", {})) == std::vector<std::string>{"dddd01", "cccc01", "bbbb01"});
    CHECK(ids(map.history(":cccc02", {})) == std::vector<std::string>{"cccc02", "bbbb01", "aaaa01"});
    CHECK(ids(map.history("cccc01:", {})) == std::vector<std::string>{"dddd01", "cccc01"});
    CHECK(ids(map.history("base:current", {"cccc01"})) ==
          std::vector<std::string>{"cccc01", "bbbb01", "aaaa01"});
    CHECK(ids(map.history("current:", {"cccc02"})) == std::vector<std::string>{"dddd02", "cccc02"});
    CHECK(ids(map.history("-1:dddd01", {})) == std::vector<std::string>{"dddd01", "cccc01"});
    CHECK_THROWS_WITH(
        map.history("cccc01:dddd02", {}),
        Equals("Requested range cccc01:dddd02 does not refer to ancestor/descendant revisions along "
               "the same branch"));
    CHECK_THROWS_WITH(map.history("cccc01", {}), Contains("[start]:[end]"));
}

TEST_CASE("resolve understands ids, prefixes, labels and label@rev", "[graph]") {
    const auto map = branched();
    CHECK(map.resolve("dddd01").id() == "dddd01");
    CHECK(map.resolve("dddd02").id() == "dddd02");
    CHECK(map.resolve("aaa").id() == "aaaa01");  // keys longer than 3 characters match any prefix
    CHECK(map.resolve("c1branch").id() == "cccc01");
    CHECK(map.resolve("c1branch@head").id() == "dddd01");
    CHECK(map.resolve("c2branch@dddd").id() == "dddd02");  // the branch narrows an ambiguous prefix
    CHECK(map.resolve_all({"heads"}) == std::vector<std::string>{"dddd01", "dddd02"});
    CHECK(map.resolve_all({"base", "c1branch"}) == std::vector<std::string>{"cccc01"});
    CHECK_THROWS_WITH(map.resolve("cccc"),
                      Equals("Multiple revisions start with 'cccc': 'cccc01', 'cccc02'..."));
    CHECK_THROWS_WITH(map.resolve("zzzz"), Equals("No such revision or branch 'zzzz'"));
    CHECK_THROWS_WITH(map.resolve("c1branch@dddd02"),
                      Equals("Revision dddd02 is not a member of branch 'c1branch'"));
    CHECK_THROWS_WITH(map.resolve("base"), Contains("'base'"));
    CHECK_THROWS_AS(map.resolve("head"), MultipleHeadsError);
    try {
        (void)map.resolve("heads");
        FAIL("expected MultipleHeadsError");
    } catch (const MultipleHeadsError& e) {
        CHECK(e.heads() == std::vector<std::string>{"dddd01", "dddd02"});
        CHECK(e.argument() == "heads");
    }
}

TEST_CASE("parents_for_new_revision follows generate_revision", "[graph]") {
    const auto map = branched();
    CHECK_THROWS_WITH(
        map.parents_for_new_revision("head", SpliceMode::NoSplice),
        StartsWith("Multiple heads are present; please specify the head revision on which the new revision "
                   "should be based") &&
            Contains("'migrator merge heads -m"));
    CHECK(map.parents_for_new_revision("c1branch@head", SpliceMode::NoSplice) ==
          std::vector<std::string>{"dddd01"});
    CHECK(map.parents_for_new_revision("base", SpliceMode::NoSplice).empty());
    CHECK(map.parents_for_new_revision("heads", SpliceMode::NoSplice) ==
          std::vector<std::string>{"dddd01", "dddd02"});
    CHECK_THROWS_WITH(
        map.parents_for_new_revision("bbbb01", SpliceMode::NoSplice),
        Equals("Revision bbbb01 is not a head revision; please specify --splice to create a new branch "
               "from this revision"));
    CHECK(map.parents_for_new_revision("bbbb01", SpliceMode::Splice) == std::vector<std::string>{"bbbb01"});
    const auto single = make({{"aaaa01", {}}, {"bbbb01", {"aaaa01"}}});
    CHECK(single.parents_for_new_revision("", SpliceMode::NoSplice) == std::vector<std::string>{"bbbb01"});
}

TEST_CASE("dependencies already implied by an ancestor are normalized away", "[graph]") {
    // DependsOnBranchTestFour (#789): b4 depends on a3, which b2 (an ancestor) already depends on.
    const auto map = make({{"a1", {}},
                           {"a2", {"a1"}},
                           {"a3", {"a2"}},
                           {"b1", {}},
                           {"b2", {"b1"}, {"a3"}},
                           {"b3", {"b2"}},
                           {"b4", {"b3"}, {"a3"}}});
    CHECK(map.find("b4")->dependencies() == std::vector<std::string>{"a3"});
    CHECK(map.find("b4")->normalized_dependencies().empty());
    CHECK(map.find("b2")->normalized_dependencies() == std::vector<std::string>{"a3"});
}

TEST_CASE("branch labels propagate for display as Alembic's _add_branches does", "[graph]") {
    const auto linear = make({{"a", {}}, {"b", {"a"}, {}, {"lib"}}, {"c", {"b"}}});
    for (const auto& revision : linear.revisions())
        CHECK(revision.inherited_branch_labels() == std::vector<std::string>{"lib"});
    CHECK(linear.find("a")->branch_labels().empty());
    const auto tree = branched();
    CHECK(tree.find("dddd01")->inherited_branch_labels() == std::vector<std::string>{"c1branch"});
    CHECK(tree.find("bbbb01")->inherited_branch_labels().empty());  // stops at the branch point
}

TEST_CASE("build rejects broken graphs and names the files", "[graph]") {
    struct Row {
        const char* what;
        std::vector<Spec> specs;
        std::vector<std::string> fragments;
    };
    const std::vector<Row> rows = {
        {"duplicate id",
         {{"a", {}}, {"a", {}}},
         {"Revision a is present more than once", "0001_a.sql", "0002_a.sql"}},
        {"missing parent",
         {{"a", {}}, {"b", {"zz"}}},
         {"Revision zz referenced from b is not present", "0002_b.sql"}},
        {"unknown depends_on", {{"a", {}}, {"b", {"a"}, {"nope"}}}, {"depends on 'nope'", "0002_b.sql"}},
        {"duplicate branch label",
         {{"a", {}, {}, {"lib"}}, {"b", {"a"}, {}, {"lib"}}},
         {"Branch name 'lib' in revision b already used by revision a", "0002_b.sql"}},
        {"label equal to an id", {{"a", {}}, {"b", {"a"}, {}, {"a"}}}, {"Branch name 'a' in revision b"}},
        {"cycle",
         {{"a", {}}, {"b", {"a", "c"}}, {"c", {"b"}}, {"d", {"c"}}},
         {"Cycle is detected in revisions (b, c)"}},
        {"cycle without base", {{"a", {"b"}}, {"b", {"a"}}}, {"Cycle is detected in revisions (a, b)"}},
        {"self-loop", {{"a", {"a"}}}, {"Self-loop is detected in revisions (a)", "0001_a.sql"}},
        {"dependency self-loop", {{"a", {}, {"a"}}}, {"Dependency self-loop is detected in revisions (a)"}},
        {"depends on its own descendant",
         {{"a", {}, {"c"}}, {"b", {"a"}}, {"c", {"b"}}},
         {"Dependency cycle is detected in revisions (a, b, c)"}},
        {"illegal character", {{"a@b", {}}}, {"Character(s) '@' not allowed in revision identifier 'a@b'"}},
    };
    for (const Row& row : rows) {
        INFO(row.what);
        try {
            (void)make(row.specs);
            FAIL("build accepted " << row.what);
        } catch (const migrator::Error& e) {
            for (const auto& fragment : row.fragments) CHECK_THAT(e.what(), Contains(fragment));
        }
    }
}

TEST_CASE("scripts given out of path order are ordered by path, as Alembic maps them", "[graph]") {
    auto given = scripts({{"a", {}}, {"b", {"a"}}, {"c", {"b"}}, {"d", {"b"}}, {"e", {"c", "d"}}});
    std::vector<Script> shuffled;
    for (const std::size_t i : {3U, 0U, 4U, 2U, 1U}) shuffled.push_back(given[i]);
    const auto sorted =
        RevisionMap::build(scripts({{"a", {}}, {"b", {"a"}}, {"c", {"b"}}, {"d", {"b"}}, {"e", {"c", "d"}}}));
    const auto map = RevisionMap::build(shuffled);
    REQUIRE(map.size() == sorted.size());
    for (RevisionMap::Index i = 0; i < map.size(); ++i) {
        CHECK(map.at(i).id() == sorted.at(i).id());
        CHECK(map.file_rank(i) == sorted.file_rank(i));
        CHECK(map.at(i).path() == sorted.at(i).path());
    }
    CHECK(map.find("e")->down_revisions() == std::vector<std::string>{"c", "d"});
    CHECK(map.find("b")->next_revisions() == std::vector<std::string>{"c", "d"});
    const std::vector<std::string> copied = map.find("e")->down_revisions();
    CHECK(copied == std::vector<std::string>{"c", "d"});
    CHECK(map.find("zzzz") == nullptr);
}

namespace {

// test_command.py CurrentTest: a1 -> a2 -> a3, and b1 -> b2 -> b3 where b2 depends on a2.
RevisionMap current_test_graph() {
    return make(
        {{"a1", {}}, {"a2", {"a1"}}, {"a3", {"a2"}}, {"b1", {}}, {"b2", {"b1"}, {"a2"}}, {"b3", {"b2"}}});
}

std::vector<std::string> all_current(const RevisionMap& map, const std::vector<std::string>& rows) {
    std::vector<RevisionMap::Index> indices;
    indices.reserve(rows.size());
    for (const auto& row : rows) indices.push_back(map.index_of(*map.find(row)));
    auto out = map.ids(map.all_current(indices));
    std::sort(out.begin(), out.end());  // Alembic returns a set
    return out;
}

}  // namespace

TEST_CASE("all_current reproduces Alembic's _get_all_current", "[graph]") {
    struct Case {
        const char* mirrors;
        RevisionMap (*graph)();
        std::vector<std::string> rows;
        std::vector<std::string> expected;  // sorted
    };
    const auto depends_one = [] {  // test_version_traversal.py DependsOnBranchTestOne
        return make({{"a1", {}, {}, {"lib1"}},
                     {"b1", {"a1"}},
                     {"c1", {"b1"}},
                     {"a2", {}},
                     {"b2", {"a2"}},
                     {"c2", {"b2"}, {"c1"}},
                     {"d1", {"c1"}},
                     {"e1", {"d1"}},
                     {"f1", {"e1"}}});
    };
    const auto kaboom = [] {  // DependsOnBranchTestTwo
        return make({{"a1", {}},
                     {"a2", {}},
                     {"a3", {}},
                     {"amerge", {"a1", "a2", "a3"}},
                     {"b1", {}},
                     {"b2", {}},
                     {"bmerge", {"b1", "b2"}},
                     {"c1", {}},
                     {"c2", {}},
                     {"c3", {}},
                     {"cmerge", {"c1", "c2", "c3"}},
                     {"d1", {}, {"a3", "b2", "c1"}}});
    };
    const auto crisscross = [] {  // DependsOnBranchTestThree (#377)
        return make({{"a1", {}},
                     {"a2", {"a1"}},
                     {"b1", {}},
                     {"b2", {"b1"}, {"a2"}},
                     {"b3", {"b2"}},
                     {"a3", {"a2"}, {"b1"}}});
    };
    const std::vector<Case> cases = {
        {"CurrentTest.test_no_current", current_test_graph, {}, {}},
        {"CurrentTest.test_plain_current", current_test_graph, {"a3"}, {"a3"}},
        {"CurrentTest.test_two_heads", current_test_graph, {"a1", "b1"}, {"a1", "b1"}},
        {"CurrentTest.test_heads_one_is_dependent", current_test_graph, {"b2"}, {"a2", "b2"}},
        {"CurrentTest.test_heads_upg", current_test_graph, {"b3"}, {"a2", "b3"}},
        {"CurrentTest (the dependency applied further)", current_test_graph, {"a3", "b3"}, {"a3", "b3"}},
        {"DependsOnBranchTestOne (c2 stands on c1)", depends_one, {"c2"}, {"c1", "c2"}},
        {"DependsOnBranchTestOne (c1's line moved on)", depends_one, {"c2", "f1"}, {"c2", "f1"}},
        {"DependsOnBranchTestTwo (d1 alone)", kaboom, {"d1"}, {"a3", "b2", "c1", "d1"}},
        {"DependsOnBranchTestTwo (merged)",
         kaboom,
         {"amerge", "bmerge", "cmerge", "d1"},
         {"amerge", "bmerge", "cmerge", "d1"}},
        {"DependsOnBranchTestThree (b3 stands on a2)", crisscross, {"b3"}, {"a2", "b3"}},
        {"DependsOnBranchTestThree (both lines)", crisscross, {"a3", "b3"}, {"a3", "b3"}},
        {"a row below another row is dropped, as _filter_into_branch_heads does",
         current_test_graph,
         {"a2", "a3"},
         {"a3"}},
    };
    for (const auto& c : cases) {
        INFO(c.mirrors);
        const auto map = c.graph();
        CHECK(all_current(map, c.rows) == c.expected);
    }
}
