#include "script/revision_graph.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

using migrator::script::graph::alembic_topological_walk;
using migrator::script::graph::Index;
using migrator::script::graph::WalkCounters;

namespace {

using Parents = std::vector<std::vector<Index>>;

struct Graph {
    Parents parents;
    Parents children;
    std::vector<Index> heads;  // in insertion order, as Alembic sorts them
};

Graph with_children(Parents parents) {
    Graph graph;
    graph.children.resize(parents.size());
    for (Index i = 0; i < parents.size(); ++i) {
        for (const Index parent : parents[i]) {
            graph.children[parent].push_back(i);
        }
    }
    for (Index i = 0; i < parents.size(); ++i) {
        if (graph.children[i].empty()) {
            graph.heads.push_back(i);
        }
    }
    graph.parents = std::move(parents);
    return graph;
}

std::vector<Index> walk(const Graph& graph, WalkCounters* counters = nullptr) {
    return alembic_topological_walk(
        graph.parents.size(), [&](Index i) { return graph.parents[i]; },
        [&](Index i) { return graph.children[i]; }, std::vector<char>(graph.parents.size(), 1), graph.heads,
        counters);
}

// Alembic's RevisionMap._topological_sort as written, with its per-head ancestor sets (quadratic).
std::vector<Index> alembic_reference(const Graph& graph) {
    const std::size_t count = graph.parents.size();
    auto ancestors = [&](Index head) {
        std::vector<char> marks(count, 0);
        std::vector<Index> stack{head};
        while (!stack.empty()) {
            const Index at = stack.back();
            stack.pop_back();
            if (marks[at]) {
                continue;
            }
            marks[at] = 1;
            for (const Index parent : graph.parents[at]) {
                stack.push_back(parent);
            }
        }
        return marks;
    };
    std::vector<char> todo(count, 1);
    std::vector<Index> heads = graph.heads;
    std::vector<std::vector<char>> ancestors_by_idx;
    ancestors_by_idx.reserve(heads.size());
    for (const Index head : heads) {
        ancestors_by_idx.push_back(ancestors(head));
    }
    std::vector<Index> output;
    std::size_t index = 0;
    while (!heads.empty()) {
        const Index candidate = heads[index];
        bool switched = false;
        for (std::size_t k = 0; k < heads.size(); ++k) {
            if (k != index && ancestors_by_idx[k][candidate]) {
                index = k;
                switched = true;
                break;
            }
        }
        if (switched) {
            continue;
        }
        if (todo[candidate]) {
            output.push_back(candidate);
            todo[candidate] = 0;
        }
        std::vector<Index> to_add;
        for (const Index parent : graph.parents[candidate]) {
            if (todo[parent] && std::find(heads.begin(), heads.end(), parent) == heads.end()) {
                to_add.push_back(parent);
            }
        }
        if (to_add.empty()) {
            heads.erase(heads.begin() + static_cast<std::ptrdiff_t>(index));
            ancestors_by_idx.erase(ancestors_by_idx.begin() + static_cast<std::ptrdiff_t>(index));
            index = index > 0 ? index - 1 : 0;
        } else {
            heads[index] = to_add.front();
            ancestors_by_idx[index] = ancestors(to_add.front());
            for (std::size_t k = 1; k < to_add.size(); ++k) {
                heads.push_back(to_add[k]);
                ancestors_by_idx.push_back(ancestors(to_add[k]));
            }
        }
    }
    return output;
}

// `branches` heads h_i on bases u_i, a merge c of every u_i, and `leaves` heads x_j on c, inserted in that
// order. While c waits for its leaves, every h_i slot sits before them in Alembic's list of heads: a
// search from the front for c's first descendant slot passes all of them once per leaf.
Graph fan(Index branches, Index leaves) {
    Parents parents((2 * std::size_t{branches}) + 1 + leaves);
    const Index merge = 2 * branches;
    for (Index i = 0; i < branches; ++i) {
        parents[branches + i] = {i};
        parents[merge].push_back(i);
    }
    for (Index j = 0; j < leaves; ++j) {
        parents[merge + 1 + j] = {merge};
    }
    return with_children(std::move(parents));
}

// A chain c_1..c_L with a second head d_i on every c_i; the heads are listed d_1..d_{L-1}, then c_L. Each
// c_i is blocked in turn by everything above it: marking all pending descendants per blocked revision
// visits L^2/2 revisions.
Graph comb(Index length) {
    Parents parents((2 * std::size_t{length}) - 1);
    for (Index i = 1; i < length; ++i) {
        parents[i] = {i - 1};
    }
    for (Index i = 0; i + 1 < length; ++i) {
        parents[length + i] = {i};
    }
    Graph graph = with_children(std::move(parents));
    std::rotate(graph.heads.begin(), graph.heads.begin() + 1, graph.heads.end());
    return graph;
}

// Two chains a_1..a_L and b_1..b_L, each b_i depending on a_i; both tips start the walk (Alembic's real
// heads ignore dependencies). a_1 waits while the a chain above it is emitted one by one.
Graph crossdeps(Index length) {
    Parents parents(2 * std::size_t{length});
    for (Index i = 1; i < length; ++i) {
        parents[i] = {i - 1};
        parents[length + i] = {length + i - 1};
    }
    for (Index i = 0; i < length; ++i) {
        parents[length + i].push_back(i);
    }
    Graph graph = with_children(std::move(parents));
    graph.heads = {length - 1, 2 * length - 1};
    return graph;
}

// A chain r, R_1..R_M = q with `leaves` heads on q; q also merges with w into z, the first head, and h0 on
// r comes next: r waits before the leaves and is blocked again after each of them is emitted.
Graph tip_of_many_heads(Index length, Index leaves) {
    const Index q = length + 1;
    Parents parents(length + 4 + leaves);
    for (Index i = 2; i <= q; ++i) {
        parents[i] = {i - 1};
    }
    parents[length + 2] = {1};
    parents[length + 3] = {0, q};
    for (Index j = 0; j < leaves; ++j) {
        parents[length + 4 + j] = {q};
    }
    Graph graph = with_children(std::move(parents));
    graph.heads = {length + 3, length + 2};
    for (Index j = 0; j < leaves; ++j) {
        graph.heads.push_back(length + 4 + j);
    }
    return graph;
}

Graph random_graph(std::uint32_t seed, Index count) {
    std::mt19937 random(seed);
    Parents parents(count);
    for (Index i = 1; i < count; ++i) {
        const auto edges = std::uniform_int_distribution<int>(0, 3)(random);
        for (int e = 0; e < edges; ++e) {
            const Index parent = std::uniform_int_distribution<Index>(0, i - 1)(random);
            if (std::find(parents[i].begin(), parents[i].end(), parent) == parents[i].end()) {
                parents[i].push_back(parent);
            }
        }
    }
    return with_children(std::move(parents));
}

}  // namespace

TEST_CASE("the walk emits Alembic's _topological_sort order", "[graph]") {
    SECTION("fan of branches into a merge with many leaves") {
        const Graph graph = fan(5, 7);
        CHECK(walk(graph) == alembic_reference(graph));
    }
    SECTION("comb of side heads on a chain, the chain's tip listed last") {
        const Graph graph = comb(9);
        CHECK(walk(graph) == alembic_reference(graph));
    }
    SECTION("two chains, the second depending on the first") {
        const Graph graph = crossdeps(12);
        CHECK(walk(graph) == alembic_reference(graph));
    }
    SECTION("a chain whose tip has many heads, its base blocked again and again") {
        const Graph graph = tip_of_many_heads(6, 7);
        CHECK(walk(graph) == alembic_reference(graph));
    }
    SECTION("random graphs") {
        for (std::uint32_t seed = 1; seed <= 300; ++seed) {
            const Graph graph = random_graph(seed, 5 + seed % 40);
            INFO("seed " << seed);
            CHECK(walk(graph) == alembic_reference(graph));
        }
    }
}

TEST_CASE("a revision blocked again and again does not search its descendants again", "[graph]") {
    const Index branches = 5000;
    const Index leaves = 5000;
    const Graph graph = fan(branches, leaves);
    WalkCounters counters;
    const auto order = walk(graph, &counters);
    REQUIRE(order.size() == graph.parents.size());
    CHECK(counters.searched <= 2 * graph.parents.size());
    CHECK(counters.slot_visits <= 2 * graph.parents.size());
}

TEST_CASE("the walk stays linear on the shapes that made it quadratic", "[graph]") {
    const Graph graph = GENERATE(comb(10000), crossdeps(10000), tip_of_many_heads(5000, 5000));
    WalkCounters counters;
    const auto order = walk(graph, &counters);
    REQUIRE(order.size() == graph.parents.size());
    CHECK(counters.searched <= 2 * graph.parents.size());
    CHECK(counters.slot_visits <= 2 * graph.parents.size());
}
