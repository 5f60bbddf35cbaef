#include <catch2/catch.hpp>

#include <string>

#include "render/revision_listing.hpp"

using migrator::render::RevisionEntry;
using migrator::render::short_line;
using migrator::render::TextColumns;
using migrator::render::verbose_block;

namespace {

RevisionEntry entry(const std::string& id) {
    RevisionEntry e;
    e.revision = id;
    e.message = "m";
    e.path = "versions/" + id + ".sql";
    return e;
}

}  // namespace

TEST_CASE("short_line marks heads and tree positions as Script._head_only", "[render]") {
    const TextColumns columns;
    auto real_head = entry("c");
    real_head.is_head = real_head.is_real_head = real_head.is_merge_point = true;
    CHECK(short_line(real_head, columns) == "c (head) (mergepoint)");
    auto effective = entry("l");
    effective.is_head = true;
    CHECK(short_line(effective, columns) == "l (effective head)");
    auto fork = entry("x");
    fork.is_branch_point = true;
    fork.is_current = true;  // not shown without current_indicator, as in Alembic's `current`
    CHECK(short_line(fork, columns) == "x (branchpoint)");
    TextColumns indicated;
    indicated.current_indicator = true;
    CHECK(short_line(fork, indicated) == "x (current) (branchpoint)");
}

TEST_CASE("verbose_block shows (current) only when asked, as Script.log_entry", "[render]") {
    auto row = entry("c");
    row.is_head = true;
    row.is_current = true;
    const TextColumns plain;
    CHECK(verbose_block(row, plain).starts_with("Rev: c (head)\n"));
    TextColumns indicated;
    indicated.current_indicator = true;
    CHECK(verbose_block(row, indicated).starts_with("Rev: c (head) (current)\n"));
}
