#pragma once
// Alembic's revision target grammar: head, heads, base, ids, prefixes, +N/-N, REV+N, BRANCH@...,
// START:END. The parser is pure string work; the resolvers interpret a target against a RevisionMap.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "script/revision_map.hpp"
#include "util/expected.hpp"

namespace migrator::script {

/// The shape of a target.
enum class TargetKind {
    Head,      // "head" or "BRANCH@head"
    Heads,     // "heads" or "BRANCH@heads"
    Base,      // "base" or "BRANCH@base"
    Revision,  // an id, prefix or label, optionally "BRANCH@REV"
    Relative,  // "+N", "-N", "REV+N", "BRANCH@+N", "BRANCH@head-1", ...
};

/// A parsed target.
struct Target {
    TargetKind kind = TargetKind::Head;
    std::string text;    // as written
    std::string branch;  // before '@'; empty when none
    std::string
        symbol;  // Revision: the identifier; Relative: the anchor, empty when relative to the current heads
    int steps = 0;  // Relative only: +N / -N
    bool operator==(const Target&) const = default;
};

/// Parses one target with Alembic's rules (its relative pattern `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)`), except
/// that the pattern must match the whole text: Alembic ignores "abc" in "+2abc", we refuse it naming the
/// target; likewise "base-N", a walk below base.
Expected<Target> parse_target(std::string_view text);

/// "START:END" as used with --sql; `start` is nullopt when there is no ':'.
struct TargetRange {
    std::optional<std::string> start;
    std::string end;
    bool operator==(const TargetRange&) const = default;
};

/// Splits a --sql range; more than one ':' is a failure naming the text.
Expected<TargetRange> split_range(std::string_view text);

/// Alembic _parse_upgrade_target: the revisions to upgrade to, given the current heads (identifiers).
std::vector<RevisionMap::Index> resolve_upgrade_target(const RevisionMap& map,
                                                       const std::vector<std::string>& current,
                                                       const Target& target, RelativeLength length);

/// What a downgrade target resolves to: the branch it is restricted to and the revision (or base).
struct DowngradeTarget {
    std::string branch;
    WalkPosition position;  // Kind::Nothing or Kind::Base mean "base"
};

/// Alembic _parse_downgrade_target, given the current heads (identifiers).
DowngradeTarget resolve_downgrade_target(const RevisionMap& map, const std::vector<std::string>& current,
                                         const Target& target, RelativeLength length);

}  // namespace migrator::script
