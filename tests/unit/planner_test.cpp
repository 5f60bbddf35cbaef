#include "runtime/planner.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "graph_specs.hpp"
#include "util/strings.hpp"

using migrator::Error;
using migrator::runtime::Direction;
using migrator::runtime::Plan;
using migrator::runtime::StampPurge;
using migrator::runtime::VersionChangeKind;
using migrator::script::RevisionMap;
using migrator::script::Script;
using test::make;
using test::Spec;

namespace {

// test_version_traversal.py RevisionPathTest uses these literal ids; names make the table readable.
const std::string rev_a = "e6239818bb3a", rev_b = "548bbb905360", rev_c = "b7ea43dc85e4",
                  rev_d = "1bbe33445780", rev_e = "3975fb1a0125";

std::string alias(std::string_view id) {
    static const std::map<std::string, std::string, std::less<>> names = {
        {rev_a, "a"}, {rev_b, "b"}, {rev_c, "c"}, {rev_d, "d"}, {rev_e, "e"}};
    const auto it = names.find(id);
    return it == names.end() ? std::string(id) : it->second;
}

/// "+b U a>b": upgrade of b updating row a to b; "stamp- D d1, U c2>b" for a stamp step.
std::vector<std::string> render(const Plan& plan) {
    std::vector<std::string> out;
    for (const auto& step : plan.steps) {
        std::string text =
            step.revision == nullptr
                ? (step.direction == Direction::Upgrade ? "stamp+" : "stamp-")
                : (step.direction == Direction::Upgrade ? "+" : "-") + alias(step.revision->id());
        std::vector<std::string> changes;
        for (const auto& change : step.version_changes) {
            switch (change.kind) {
                case VersionChangeKind::Insert:
                    changes.push_back("I " + alias(change.to));
                    break;
                case VersionChangeKind::Delete:
                    changes.push_back("D " + alias(change.from));
                    break;
                case VersionChangeKind::Purge:
                    changes.push_back("P " + alias(change.from));
                    break;
                case VersionChangeKind::Update:
                    changes.push_back("U " + alias(change.from) + ">" + alias(change.to));
                    break;
            }
        }
        out.push_back(text + " " + migrator::util::join(changes));
    }
    return out;
}

std::vector<std::string> aliases(const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    out.reserve(ids.size());
    for (const auto& id : ids) out.push_back(alias(id));
    return out;
}

const RevisionMap& linear() {  // RevisionPathTest: a -> b -> c -> d -> e
    static const RevisionMap map =
        make({{rev_a, {}}, {rev_b, {rev_a}}, {rev_c, {rev_b}}, {rev_d, {rev_c}}, {rev_e, {rev_d}}});
    return map;
}

const RevisionMap& branched() {  // BranchedPathTest: b branches into c1 -> d1 and c2 -> d2
    static const RevisionMap map = make({{"a", {}},
                                         {"b", {"a"}},
                                         {"c1", {"b"}, {}, {"c1branch"}},
                                         {"d1", {"c1"}},
                                         {"c2", {"b"}, {}, {"c2branch"}},
                                         {"d2", {"c2"}}});
    return map;
}

const RevisionMap& merged() {  // MergedPathTest: branched, then e merges d1 and d2, then f
    static const RevisionMap map = make({{"a", {}},
                                         {"b", {"a"}},
                                         {"c1", {"b"}},
                                         {"d1", {"c1"}},
                                         {"c2", {"b"}, {}, {"c2branch"}},
                                         {"d2", {"c2"}},
                                         {"e", {"d1", "d2"}},
                                         {"f", {"e"}}});
    return map;
}

const RevisionMap& diamond() {  // a branches into b1 and b2, m merges them
    static const RevisionMap map = make({{"a", {}}, {"b1", {"a"}}, {"b2", {"a"}}, {"m", {"b1", "b2"}}});
    return map;
}

const RevisionMap& cross_dependency() {  // BranchedPathTestCrossDependencies: d2 depends on c1
    static const RevisionMap map = make({{"a", {}},
                                         {"b", {"a"}},
                                         {"c1", {"b"}, {}, {"c1branch"}},
                                         {"d1", {"c1"}},
                                         {"c2", {"b"}, {}, {"c2branch"}},
                                         {"d2", {"c2"}, {"c1"}}});
    return map;
}

const RevisionMap& label_dependency() {  // DependsOnBranchLabelTest: c2 depends on the label c1lib
    static const RevisionMap map = make({{"a1", {}, {}, {"lib1"}},
                                         {"b1", {"a1"}},
                                         {"c1", {"b1"}, {}, {"c1lib"}},
                                         {"a2", {}},
                                         {"b2", {"a2"}},
                                         {"c2", {"b2"}, {"c1lib"}},
                                         {"d1", {"c1"}},
                                         {"e1", {"d1"}},
                                         {"f1", {"e1"}}});
    return map;
}

const RevisionMap& depends_one() {  // DependsOnBranchTestOne: c2 depends on c1, c1 continues to f1
    static const RevisionMap map = make({{"a1", {}, {}, {"lib1"}},
                                         {"b1", {"a1"}},
                                         {"c1", {"b1"}},
                                         {"a2", {}},
                                         {"b2", {"a2"}},
                                         {"c2", {"b2"}, {"c1"}},
                                         {"d1", {"c1"}},
                                         {"e1", {"d1"}},
                                         {"f1", {"e1"}}});
    return map;
}

const RevisionMap& kaboom() {  // DependsOnBranchTestTwo
    static const RevisionMap map = make({{"a1", {}},
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
    return map;
}

const RevisionMap& crisscross() {  // DependsOnBranchTestThree (issue #377)
    static const RevisionMap map = make({{"a1", {}},
                                         {"a2", {"a1"}},
                                         {"b1", {}},
                                         {"b2", {"b1"}, {"a2"}},
                                         {"b3", {"b2"}},
                                         {"a3", {"a2"}, {"b1"}}});
    return map;
}

const RevisionMap& own_downrev() {  // DependsOnOwnDownrevTest (#843)
    static const RevisionMap map = make({{"a1", {}}, {"a2", {"a1"}, {"a1"}}});
    return map;
}

const RevisionMap& normalized() {  // DependsOnBranchTestFour (#789)
    static const RevisionMap map = make({{"a1", {}},
                                         {"a2", {"a1"}},
                                         {"a3", {"a2"}},
                                         {"b1", {}},
                                         {"b2", {"b1"}, {"a3"}},
                                         {"b3", {"b2"}},
                                         {"b4", {"b3"}, {"a3"}}});
    return map;
}

const RevisionMap& merge_of_dependency() {  // DependsOnBranchTestFive (#1373)
    static const RevisionMap map = make({{"a1", {}}, {"b1", {}, {"a1"}}, {"bmerge", {"a1", "b1"}}});
    return map;
}

const RevisionMap& from_mergepoint() {  // BranchFromMergepointTest
    static const RevisionMap map = make({{"a1", {}},
                                         {"b1", {"a1"}},
                                         {"c1", {"b1"}},
                                         {"a2", {}},
                                         {"b2", {"a2"}},
                                         {"c2", {"b2"}},
                                         {"d1", {"c1", "c2"}},
                                         {"d2", {"c2"}}});
    return map;
}

const RevisionMap& from_3way_mergepoint() {  // BranchFrom3WayMergepointTest
    static const RevisionMap map = make({{"a1", {}},
                                         {"b1", {"a1"}},
                                         {"c1", {"b1"}},
                                         {"a2", {}},
                                         {"b2", {"a2"}},
                                         {"c2", {"b2"}},
                                         {"a3", {}},
                                         {"b3", {"a3"}},
                                         {"c3", {"b3"}},
                                         {"d1", {"c1", "c2", "c3"}},
                                         {"d2", {"c2"}},
                                         {"d3", {"c3"}}});
    return map;
}

const RevisionMap& twin_merge() {  // TwinMergeTest (#297)
    static const RevisionMap map = make({{"a", {}},
                                         {"b1", {"a"}},
                                         {"b2", {"a"}},
                                         {"b3", {"a"}},
                                         {"c1", {"b1", "b2", "b3"}},
                                         {"c2", {"b1", "b2", "b3"}},
                                         {"d1", {"c1"}},
                                         {"d2", {"c2"}}});
    return map;
}

const RevisionMap& not_quite_twin() {  // NotQuiteTwinMergeTest
    static const RevisionMap map = make({{"a", {}},
                                         {"b1", {"a"}},
                                         {"b2", {"a"}},
                                         {"b3", {"a"}},
                                         {"c1", {"b1", "b2"}},
                                         {"c2", {"b2", "b3"}},
                                         {"d1", {"c1"}},
                                         {"d2", {"c2"}}});
    return map;
}

const RevisionMap& forest() {  // ForestTest: two independent roots
    static const RevisionMap map = make({{"a1", {}}, {"b1", {"a1"}}, {"a2", {}}, {"b2", {"a2"}}});
    return map;
}

enum class Kind { Upgrade, Downgrade, Stamp };

struct PlanCase {
    const char* mirrors;
    const RevisionMap& (*graph)();
    std::vector<std::string> current;
    std::string target;
    Kind kind;
    std::vector<std::string> steps;
    std::vector<std::string> heads_after;
};

Plan run(const PlanCase& c) {
    switch (c.kind) {
        case Kind::Upgrade:
            return migrator::runtime::plan_upgrade(c.graph(), c.current, c.target);
        case Kind::Downgrade:
            return migrator::runtime::plan_downgrade(c.graph(), c.current, c.target);
        case Kind::Stamp:
            return migrator::runtime::plan_stamp(c.graph(), c.current, c.target, StampPurge::Keep);
    }
    return {};
}

}  // namespace

TEST_CASE("planner reproduces Alembic's traversal and version-table changes", "[graph]") {
    using enum Kind;
    const std::vector<PlanCase> cases = {
        // RevisionPathTest (linear a..e)
        {"test_upgrade_path", linear, {rev_c}, rev_e, Upgrade, {"+d U c>d", "+e U d>e"}, {rev_e}},
        {"test_upgrade_path (from nothing)",
         linear,
         {},
         rev_c,
         Upgrade,
         {"+a I a", "+b U a>b", "+c U b>c"},
         {rev_c}},
        {"test_relative_upgrade_path +2", linear, {rev_a}, "+2", Upgrade, {"+b U a>b", "+c U b>c"}, {rev_c}},
        {"test_relative_upgrade_path +1", linear, {rev_a}, "+1", Upgrade, {"+b U a>b"}, {rev_b}},
        {"test_relative_upgrade_path +3",
         linear,
         {rev_b},
         "+3",
         Upgrade,
         {"+c U b>c", "+d U c>d", "+e U d>e"},
         {rev_e}},
        {"test_relative_upgrade_path b+2",
         linear,
         {rev_a},
         rev_b + "+2",
         Upgrade,
         {"+b U a>b", "+c U b>c", "+d U c>d"},
         {rev_d}},
        {"test_relative_upgrade_path d-2", linear, {rev_a}, rev_d + "-2", Upgrade, {"+b U a>b"}, {rev_b}},
        {"upgrade to an applied revision does nothing", linear, {rev_d}, rev_b, Upgrade, {}, {rev_d}},
        {"upgrade by prefix", linear, {rev_a}, "b7ea", Upgrade, {"+b U a>b", "+c U b>c"}, {rev_c}},
        {"test_downgrade_path", linear, {rev_e}, rev_c, Downgrade, {"-e U e>d", "-d U d>c"}, {rev_c}},
        {"test_downgrade_path (to base)",
         linear,
         {rev_c},
         "base",
         Downgrade,
         {"-c U c>b", "-b U b>a", "-a D a"},
         {}},
        {"test_relative_downgrade_path -1", linear, {rev_c}, "-1", Downgrade, {"-c U c>b"}, {rev_b}},
        {"test_relative_downgrade_path -3",
         linear,
         {rev_e},
         "-3",
         Downgrade,
         {"-e U e>d", "-d U d>c", "-c U c>b"},
         {rev_b}},
        {"test_relative_downgrade_path a+2", linear, {rev_d}, rev_a + "+2", Downgrade, {"-d U d>c"}, {rev_c}},
        {"test_relative_downgrade_path c-2",
         linear,
         {rev_d},
         rev_c + "-2",
         Downgrade,
         {"-d U d>c", "-c U c>b", "-b U b>a"},
         {rev_a}},
        {"test_downgrade_to_existing (#838)", linear, {rev_a}, rev_a, Downgrade, {}, {rev_a}},
        {"test_downgrade_to_existing_head (#839)", linear, {rev_e}, rev_e, Downgrade, {}, {rev_e}},
        {"test_downgrade_base_no_version", linear, {}, "base", Downgrade, {}, {}},
        {"test_stamp_to_base", linear, {rev_d}, "base", Stamp, {"stamp- D d"}, {}},
        {"stamp forward", linear, {rev_b}, rev_e, Stamp, {"stamp+ U b>e"}, {rev_e}},
        {"stamp backward", linear, {rev_e}, rev_b, Stamp, {"stamp- U e>b"}, {rev_b}},

        // BranchedPathTest
        {"test_upgrade_single_branch", branched, {"b"}, "d1", Upgrade, {"+c1 U b>c1", "+d1 U c1>d1"}, {"d1"}},
        {"test_upgrade_multiple_branch",
         branched,
         {"a"},
         "heads",
         Upgrade,
         {"+b U a>b", "+c2 U b>c2", "+d2 U c2>d2", "+c1 I c1", "+d1 U c1>d1"},
         {"d2", "d1"}},
        {"test_downgrade_multiple_branch",
         branched,
         {"d1", "d2"},
         "a",
         Downgrade,
         {"-d1 U d1>c1", "-c1 D c1", "-d2 U d2>c2", "-c2 U c2>b", "-b U b>a"},
         {"a"}},
        {"test_relative_upgrade", branched, {"b"}, "c2branch@head-1", Upgrade, {"+c2 U b>c2"}, {"c2"}},
        {"test_relative_downgrade_baseplus2",
         branched,
         {"d2", "d1"},
         "base+2",
         Downgrade,
         {"-d1 U d1>c1", "-c1 D c1", "-d2 U d2>c2", "-c2 U c2>b"},
         {"b"}},
        {"test_relative_downgrade_branchplus2",
         branched,
         {"d2", "d1"},
         "c2branch@base+2",
         Downgrade,
         {"-d2 U d2>c2", "-c2 D c2"},
         {"d1"}},
        {"test_relative_downgrade_branchplus3",
         branched,
         {"d2", "d1"},
         "c2branch@base+3",
         Downgrade,
         {"-d2 U d2>c2"},
         {"c2", "d1"}},
        {"test_downgrade_once_order_right",
         branched,
         {"d2", "d1"},
         "-1",
         Downgrade,
         {"-d2 U d2>c2"},
         {"c2", "d1"}},
        {"test_downgrade_once_order_right_unbalanced",
         branched,
         {"c2", "d1"},
         "-1",
         Downgrade,
         {"-c2 D c2"},
         {"d1"}},
        {"test_downgrade_once_order_left",
         branched,
         {"d1", "d2"},
         "-1",
         Downgrade,
         {"-d1 U d1>c1"},
         {"c1", "d2"}},
        {"test_downgrade_once_order_left_unbalanced_labelled",
         branched,
         {"d1", "d2"},
         "c1branch@-1",
         Downgrade,
         {"-d1 U d1>c1"},
         {"c1", "d2"}},
        {"test_downgrade_relative_order_right",
         branched,
         {"d2", "c1"},
         "d2-1",
         Downgrade,
         {"-d2 U d2>c2"},
         {"c2", "c1"}},
        {"test_downgrade_single_branch_c1branch",
         branched,
         {"c1", "d2"},
         "c1branch@b",
         Downgrade,
         {"-c1 D c1"},
         {"d2"}},
        {"test_downgrade_single_branch_c1branch_from_d1_head",
         branched,
         {"c1", "d2"},
         "c2branch@b",
         Downgrade,
         {"-d2 U d2>c2", "-c2 D c2"},
         {"c1"}},
        {"test_downgrade_single_branch_c2",
         branched,
         {"d1", "d2"},
         "c2@b",
         Downgrade,
         {"-d2 U d2>c2", "-c2 D c2"},
         {"d1"}},
        {"test_downgrade_single_branch_d1",
         branched,
         {"d1", "d2"},
         "d1@b",
         Downgrade,
         {"-d1 U d1>c1", "-c1 D c1"},
         {"d2"}},
        {"test_downgrade_relative_to_branch_head",
         branched,
         {"d1", "d2"},
         "c1branch@head-1",
         Downgrade,
         {"-d1 U d1>c1"},
         {"c1", "d2"}},
        {"test_upgrade_other_branch_from_mergepoint",
         branched,
         {"c1"},
         "c2branch@+1",
         Upgrade,
         {"+c2 I c2"},
         {"c1", "c2"}},
        {"test_upgrade_one_branch_of_heads",
         branched,
         {"c1", "c2"},
         "c2branch@+1",
         Upgrade,
         {"+d2 U c2>d2"},
         {"c1", "d2"}},
        {"test_upgrade_from_base", branched, {}, "base+1", Upgrade, {"+a I a"}, {"a"}},
        {"test_upgrade_from_base_implicit", branched, {}, "+1", Upgrade, {"+a I a"}, {"a"}},
        {"test_downgrade_minus1_to_base", branched, {"a"}, "-1", Downgrade, {"-a D a"}, {}},
        {"test_downgrade_no_effect_branched (c2)", branched, {"d1", "c2"}, "c2", Downgrade, {}, {"d1", "c2"}},
        {"test_downgrade_no_effect_branched (d1)", branched, {"d1", "c2"}, "d1", Downgrade, {}, {"d1", "c2"}},
        {"upgrade one branch by label",
         branched,
         {"b"},
         "c2branch@head",
         Upgrade,
         {"+c2 U b>c2", "+d2 U c2>d2"},
         {"d2"}},
        {"test_stamp_down_across_multiple_branch_to_branchpoint",
         branched,
         {"d1", "c2"},
         "b",
         Stamp,
         {"stamp- D d1, U c2>b"},
         {"b"}},
        {"test_stamp_to_labeled_base_multiple_heads",
         branched,
         {"d1", "c2"},
         "c1branch@base",
         Stamp,
         {"stamp- D d1"},
         {"c2"}},
        {"test_stamp_to_labeled_head_multiple_heads",
         branched,
         {"d1", "c2"},
         "c2branch@head",
         Stamp,
         {"stamp+ U c2>d2"},
         {"d1", "d2"}},
        {"stamp a new branch", branched, {"d1"}, "c2", Stamp, {"stamp+ I c2"}, {"d1", "c2"}},

        // MergedPathTest
        {"test_upgrade_across_merge_point",
         merged,
         {"b"},
         "f",
         Upgrade,
         {"+c2 U b>c2", "+d2 U c2>d2", "+c1 I c1", "+d1 U c1>d1", "+e D d2, U d1>e", "+f U e>f"},
         {"f"}},
        {"test_downgrade_across_merge_point",
         merged,
         {"f"},
         "b",
         Downgrade,
         {"-f U f>e", "-e I d2, U e>d1", "-d1 U d1>c1", "-c1 D c1", "-d2 U d2>c2", "-c2 U c2>b"},
         {"b"}},
        {"+N from a merge point", merged, {"e"}, "+1", Upgrade, {"+f U e>f"}, {"f"}},
        {"+N across a merge point",
         merged,
         {"d2"},
         "+2",
         Upgrade,
         {"+c1 I c1", "+d1 U c1>d1", "+e D d2, U d1>e", "+f U e>f"},
         {"f"}},
        {"-N below a branch point",
         merged,
         {"d2"},
         "-3",
         Downgrade,
         {"-d2 U d2>c2", "-c2 U c2>b", "-b U b>a"},
         {"a"}},
        {"label@+N onto one side of a branch point",
         merged,
         {"b"},
         "c2branch@+1",
         Upgrade,
         {"+c2 U b>c2"},
         {"c2"}},
        {"test_stamp_down_across_merge_point_branch", merged, {"e"}, "c2", Stamp, {"stamp- U e>c2"}, {"c2"}},
        {"test_stamp_down_across_merge_prior_branching", merged, {"e"}, "a", Stamp, {"stamp- U e>a"}, {"a"}},
        {"test_stamp_up_across_merge_from_single_branch",
         merged,
         {"c2"},
         "e",
         Stamp,
         {"stamp+ U c2>e"},
         {"e"}},
        {"test_stamp_labeled_head_across_merge_from_multiple_branch",
         merged,
         {"d1", "c2"},
         "c2branch@head",
         Stamp,
         {"stamp+ D d1, U c2>f"},
         {"f"}},
        {"test_stamp_up_across_merge_from_multiple_branch",
         merged,
         {"d1", "c2"},
         "e",
         Stamp,
         {"stamp+ D d1, U c2>e"},
         {"e"}},
        {"test_stamp_up_across_merge_prior_branching", merged, {"b"}, "e", Stamp, {"stamp+ U b>e"}, {"e"}},

        // A diamond: branch point and merge point of the same two revisions.
        {"diamond upgrade",
         diamond,
         {},
         "head",
         Upgrade,
         {"+a I a", "+b2 U a>b2", "+b1 I b1", "+m D b2, U b1>m"},
         {"m"}},
        {"diamond downgrade",
         diamond,
         {"m"},
         "a",
         Downgrade,
         {"-m I b2, U m>b1", "-b1 D b1", "-b2 U b2>a"},
         {"a"}},
        {"diamond partial downgrade keeps the other side",
         diamond,
         {"m"},
         "b1",
         Downgrade,
         {"-m I b2, U m>b1"},
         {"b1", "b2"}},

        // Dependencies across branches
        {"BranchedPathTestCrossDependencies.test_downgrade_independent_branch",
         cross_dependency,
         {"d1", "d2"},
         "c2branch@b",
         Downgrade,
         {"-d2 U d2>c2", "-c2 D c2"},
         {"d1"}},
        {"BranchedPathTestCrossDependencies.test_downgrade_branch_dependency",
         cross_dependency,
         {"d1", "d2"},
         "c1branch@b",
         Downgrade,
         {"-d1 D d1", "-d2 I c1, U d2>c2", "-c1 D c1"},
         {"c2"}},
        {"upgrade pulls the dependency in",
         cross_dependency,
         {"b"},
         "d2",
         Upgrade,
         {"+c1 U b>c1", "+c2 I c2", "+d2 D c1, U c2>d2"},
         {"d2"}},
        {"DependsOnBranchLabelTest.test_upgrade_path",
         label_dependency,
         {"a2"},
         "c2",
         Upgrade,
         {"+a1 I a1", "+b1 U a1>b1", "+c1 U b1>c1", "+b2 U a2>b2", "+c2 D c1, U b2>c2"},
         {"c2"}},
        {"DependsOnBranchTestOne.test_downgrade_to_dependency",
         depends_one,
         {"c2", "d1"},
         "c1",
         Downgrade,
         {"-d1 D d1"},
         {"c2"}},
        {"DependsOnBranchTestOne.test_stamp_across_dependency",
         depends_one,
         {"e1", "c2"},
         "b1",
         Stamp,
         {"stamp- D e1, U c2>b1"},
         {"b1"}},
        {"DependsOnBranchTestTwo.test_kaboom (to b2)",
         kaboom,
         {"amerge", "bmerge", "cmerge", "d1"},
         "b2",
         Downgrade,
         {"-bmerge U bmerge>b1"},
         {"amerge", "b1", "cmerge", "d1"}},
        {"DependsOnBranchTestTwo.test_kaboom (d1@base)",
         kaboom,
         {"amerge", "d1", "b1", "cmerge"},
         "d1@base",
         Downgrade,
         {"-d1 U d1>b2"},
         {"amerge", "b2", "b1", "cmerge"}},
        {"DependsOnBranchTestTwo.test_kaboom (base)",
         kaboom,
         {"amerge", "b1", "b2", "cmerge"},
         "base",
         Downgrade,
         {"-amerge I a2, I a3, U amerge>a1", "-a1 D a1", "-b1 D b1", "-b2 D b2",
          "-cmerge I c2, I c3, U cmerge>c1", "-c1 D c1", "-a2 D a2", "-a3 D a3", "-c2 D c2", "-c3 D c3"},
         {}},
        {"DependsOnBranchTestThree.test_downgrade_over_crisscross",
         crisscross,
         {"a3", "b2"},
         "b1",
         Downgrade,
         {"-b2 D b2"},
         {"a3"}},
        {"DependsOnOwnDownrevTest.test_traverse",
         own_downrev,
         {},
         "a2",
         Upgrade,
         {"+a1 I a1", "+a2 U a1>a2"},
         {"a2"}},
        {"DependsOnOwnDownrevTest.test_traverse_down",
         own_downrev,
         {"a2"},
         "a1",
         Downgrade,
         {"-a2 U a2>a1"},
         {"a1"}},
        {"DependsOnBranchTestFour.test_dependencies_are_normalized",
         normalized,
         {"b4"},
         "b3",
         Downgrade,
         {"-b4 U b4>b3"},
         {"b3"}},
        {"DependsOnBranchTestFive (upgrade a1 -> b1)",
         merge_of_dependency,
         {"a1"},
         "b1",
         Upgrade,
         {"+b1 U a1>b1"},
         {"b1"}},
        {"DependsOnBranchTestFive (upgrade b1 -> bmerge)",
         merge_of_dependency,
         {"b1"},
         "bmerge",
         Upgrade,
         {"+bmerge U b1>bmerge"},
         {"bmerge"}},
        {"DependsOnBranchTestFive (downgrade to a1)",
         merge_of_dependency,
         {"bmerge"},
         "a1",
         Downgrade,
         {"-bmerge U bmerge>b1"},
         {"b1"}},
        {"DependsOnBranchTestFive (downgrade to b1)",
         merge_of_dependency,
         {"bmerge"},
         "b1",
         Downgrade,
         {"-bmerge U bmerge>b1"},
         {"b1"}},

        // Merge points fed by independent roots
        {"BranchFromMergepointTest upgrade",
         from_mergepoint,
         {"d2", "b1"},
         "d1",
         Upgrade,
         {"+c1 U b1>c1", "+d1 U c1>d1"},
         {"d2", "d1"}},
        {"BranchFromMergepointTest downgrade",
         from_mergepoint,
         {"d2", "d1"},
         "b1",
         Downgrade,
         {"-d1 U d1>c1", "-c1 U c1>b1"},
         {"d2", "b1"}},
        {"BranchFrom3WayMergepointTest one side upgrade",
         from_3way_mergepoint,
         {"d3", "d2", "b1"},
         "d1",
         Upgrade,
         {"+c1 U b1>c1", "+d1 U c1>d1"},
         {"d3", "d2", "d1"}},
        {"BranchFrom3WayMergepointTest one side downgrade",
         from_3way_mergepoint,
         {"d3", "d2", "d1"},
         "b1",
         Downgrade,
         {"-d1 U d1>c1", "-c1 U c1>b1"},
         {"d3", "d2", "b1"}},
        {"BranchFrom3WayMergepointTest two sides upgrade",
         from_3way_mergepoint,
         {"d3", "b2", "b1"},
         "d1",
         Upgrade,
         {"+c2 U b2>c2", "+c1 U b1>c1", "+d1 D c2, U c1>d1"},
         {"d3", "d1"}},
        {"BranchFrom3WayMergepointTest breaks out again",
         from_3way_mergepoint,
         {"d3", "d1"},
         "d2",
         Upgrade,
         {"+d2 I d2"},
         {"d3", "d1", "d2"}},
        {"TwinMergeTest (#297)",
         twin_merge,
         {"a"},
         "heads",
         Upgrade,
         {"+b3 U a>b3", "+b2 I b2", "+b1 I b1", "+c2 D b2, D b3, U b1>c2", "+d2 U c2>d2", "+c1 I c1",
          "+d1 U c1>d1"},
         {"d2", "d1"}},
        {"NotQuiteTwinMergeTest (same order as the test's docstring)",
         not_quite_twin,
         {"a"},
         "heads",
         Upgrade,
         {"+b2 U a>b2", "+b3 I b3", "+c2 D b3, U b2>c2", "+d2 U c2>d2", "+b1 I b1", "+c1 U b1>c1",
          "+d1 U c1>d1"},
         {"d2", "d1"}},
        {"ForestTest.test_base_to_heads",
         forest,
         {},
         "heads",
         Upgrade,
         {"+a2 I a2", "+b2 U a2>b2", "+a1 I a1", "+b1 U a1>b1"},
         {"b2", "b1"}},
        {"ForestTest.test_stamp_to_heads",
         forest,
         {},
         "heads",
         Stamp,
         {"stamp+ I b1", "stamp+ I b2"},
         {"b1", "b2"}},
        {"ForestTest.test_stamp_to_heads_no_moves_needed",
         forest,
         {"b1", "b2"},
         "heads",
         Stamp,
         {},
         {"b1", "b2"}},
    };
    for (const PlanCase& c : cases) {
        INFO(c.mirrors << " | target " << c.target);
        const Plan plan = run(c);
        CHECK(render(plan) == c.steps);
        CHECK(aliases(plan.heads_after) == aliases(c.heads_after));
        CHECK(plan.heads_before == c.current);
    }
}

TEST_CASE("stamp --purge deletes every row before stamping", "[graph]") {
    const Plan plan = migrator::runtime::plan_stamp(branched(), {"d1", "c2"}, "c2", StampPurge::Purge);
    CHECK(render(plan) == std::vector<std::string>{"stamp- P d1, P c2", "stamp+ I c2"});
    CHECK(plan.heads_after == std::vector<std::string>{"c2"});
    const Plan empty = migrator::runtime::plan_stamp(branched(), {}, "d1", StampPurge::Purge);
    CHECK(render(empty) == std::vector<std::string>{"stamp+ I d1"});
}

TEST_CASE("stamp with several targets moves each branch", "[graph]") {
    const Plan plan = migrator::runtime::plan_stamp(branched(), {"b"}, std::vector<std::string>{"d1", "d2"},
                                                    StampPurge::Keep);
    // Both steps start from b; the second finds b gone and inserts (StampStep.should_create_branch).
    CHECK(render(plan) == std::vector<std::string>{"stamp+ U b>d1", "stamp+ I d2"});
    CHECK(plan.heads_after == std::vector<std::string>{"d1", "d2"});
}

TEST_CASE("planner errors carry Alembic's wording and name the target", "[graph]") {
    using Catch::Matchers::Contains;
    using Catch::Matchers::Equals;
    using Catch::Matchers::StartsWith;
    using migrator::runtime::plan_downgrade;
    using migrator::runtime::plan_stamp;
    using migrator::runtime::plan_upgrade;
    // test_invalid_relative_upgrade_path
    CHECK_THROWS_WITH(plan_upgrade(linear(), {rev_b}, "-2"),
                      Equals("Relative revision -2 didn't produce 2 migrations"));
    CHECK_THROWS_WITH(plan_upgrade(linear(), {rev_b}, "+5"),
                      Equals("Relative revision +5 didn't produce 5 migrations"));
    // test_invalid_relative_downgrade_path
    CHECK_THROWS_WITH(plan_downgrade(linear(), {rev_b}, "-5"),
                      Equals("Relative revision -5 didn't produce 5 migrations"));
    CHECK_THROWS_WITH(plan_downgrade(linear(), {rev_b}, "+2"),
                      Equals("Relative revision +2 didn't produce 2 migrations"));
    // test_downgrade_minus1_from_base
    CHECK_THROWS_WITH(plan_downgrade(branched(), {}, "-1"),
                      Equals("Relative revision -1 didn't produce 1 migrations"));
    // test_invalid_move_rev_to_none / test_invalid_move_higher_to_lower
    CHECK_THROWS_WITH(plan_downgrade(linear(), {}, rev_b.substr(0, 3)),
                      Equals("Destination 548 is not a valid downgrade target from current head(s)"));
    CHECK_THROWS_WITH(plan_downgrade(linear(), {rev_b}, rev_c.substr(0, 4)),
                      Equals("Destination b7ea is not a valid downgrade target from current head(s)"));
    CHECK_THROWS_WITH(plan_downgrade(branched(), {"d1"}, "c2"),
                      Equals("Destination c2 is not a valid downgrade target from current head(s)"));
    // test_ambiguous_upgrade
    CHECK_THROWS_WITH(plan_upgrade(branched(), {"c1", "c2"}, "+1"),
                      Equals("Ambiguous upgrade from multiple current revisions"));
    // `head` with several heads names them
    CHECK_THROWS_WITH(
        plan_upgrade(branched(), {}, "head"),
        Equals("Multiple head revisions are present for given argument 'head'; please specify a "
               "specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' "
               "for all heads (heads: d1, d2); run 'migrator upgrade heads' to upgrade every branch, or join "
               "them first with 'migrator merge heads -m \"<message>\"'"));
    CHECK_THROWS_WITH(plan_downgrade(branched(), {"d1", "d2"}, "heads"),
                      Contains("given argument 'heads'") && Contains("d1, d2"));
    CHECK_THROWS_WITH(
        plan_stamp(branched(), {}, "head", StampPurge::Keep),
        StartsWith("Multiple heads are present; please specify a single target revision (heads: d1, d2)") &&
            Contains("'migrator merge heads -m"));
    // Walking through a merge point or a branch point is ambiguous.
    CHECK_THROWS_WITH(plan_downgrade(merged(), {"e"}, "-1"),
                      Contains("Ambiguous walk") && Contains("'migrator downgrade d1'"));
    CHECK_THROWS_WITH(plan_upgrade(merged(), {"b"}, "b+1"), Contains("Ambiguous walk") && Contains("c1, c2"));
    // Unknown, too short and ambiguous identifiers
    CHECK_THROWS_WITH(plan_upgrade(linear(), {}, "ffffff"), Equals("No such revision or branch 'ffffff'"));
    CHECK_THROWS_WITH(
        plan_upgrade(linear(), {}, "zz"),
        Equals("No such revision or branch 'zz'; please ensure at least four characters are present "
               "for partial revision identifier matches"));
    CHECK_THROWS_WITH(plan_upgrade(branched(), {}, "nosuch@head"),
                      Equals("No such revision or branch 'nosuch'"));
    CHECK_THROWS_WITH(plan_upgrade(branched(), {}, "nosuch@d2"), Equals("No such branch: 'nosuch'"));
    CHECK_THROWS_WITH(plan_upgrade(branched(), {}, "c1branch@d2"),
                      Equals("Revision d2 is not a member of branch 'c1branch'"));
    CHECK_THROWS_WITH(plan_upgrade(linear(), {"0123456789ab"}, "head"),
                      Contains("Can't locate revision identified by '0123456789ab'"));
    CHECK_THROWS_WITH(plan_upgrade(linear(), {}, ""), Equals("empty revision target"));
    // A version table whose rows overlap (one is an ancestor of another) is refused, as Alembic does.
    CHECK_THROWS_WITH(plan_upgrade(linear(), {rev_a, rev_c}, "head"),
                      Contains("overlaps with other requested revisions"));
}

TEST_CASE("offline ranges resolve START as the assumed current heads", "[graph]") {
    using migrator::runtime::resolve_offline_range;
    const auto range = resolve_offline_range(linear(), "548b:" + rev_d);
    CHECK(range.start_heads == std::vector<std::string>{rev_b});
    CHECK(range.end == rev_d);
    const Plan plan = migrator::runtime::plan_upgrade(linear(), range.start_heads, range.end);
    CHECK(render(plan) == std::vector<std::string>{"+c U b>c", "+d U c>d"});
    CHECK(resolve_offline_range(linear(), "base:head").start_heads.empty());
    CHECK(resolve_offline_range(linear(), "head").start_heads.empty());
    CHECK(resolve_offline_range(branched(), "c1branch@head:d2").start_heads ==
          std::vector<std::string>{"d1"});
    CHECK_THROWS_WITH(resolve_offline_range(linear(), "a:b:c"),
                      Catch::Matchers::Contains("more than one ':'"));
}

TEST_CASE("a 100,000-revision chain plans base to head without recursion", "[graph]") {
    constexpr int count = 100000;
    std::vector<Script> scripts;
    scripts.reserve(count);
    for (int i = 0; i < count; ++i) {
        Script script;
        script.revision = fmt::format("r{:06d}", i);
        if (i > 0) script.down_revisions = {fmt::format("r{:06d}", i - 1)};
        script.path = fmt::format("versions/{:06d}.sql", i);
        scripts.push_back(std::move(script));
    }
    const RevisionMap map = RevisionMap::build(scripts);
    REQUIRE(map.heads() == std::vector<std::string>{"r099999"});
    const Plan up = migrator::runtime::plan_upgrade(map, {}, "head");
    REQUIRE(up.steps.size() == static_cast<std::size_t>(count));
    CHECK(up.steps.front().revision->id() == "r000000");
    CHECK(up.steps.front().version_changes.front().kind == VersionChangeKind::Insert);
    CHECK(up.steps.back().revision->id() == "r099999");
    CHECK(up.heads_after == std::vector<std::string>{"r099999"});
    const Plan down = migrator::runtime::plan_downgrade(map, {"r099999"}, "base");
    REQUIRE(down.steps.size() == static_cast<std::size_t>(count));
    CHECK(down.steps.back().version_changes.back().kind == VersionChangeKind::Delete);
    CHECK(down.heads_after.empty());
    CHECK(map.history("", {}).size() == static_cast<std::size_t>(count));
}
