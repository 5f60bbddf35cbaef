#include "script/target.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "util/ascii.hpp"
#include "util/log.hpp"

namespace migrator::script {
namespace {

using Index = RevisionMap::Index;

/// Python's \w for our purposes: ASCII letters, digits, '_' and any non-ASCII byte (UTF-8 letters).
bool is_word(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte >= '0' && byte <= '9') || (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
           byte == '_' || byte >= 0x80;
}

using util::is_digit;

struct RelativeMatch {
    std::string symbol;
    std::string_view number;  // sign and digits
    std::string_view rest;    // text after the digits, which Alembic ignores and we refuse
};

/// `(\w+)?((?:\+|-)\d+)` at `text`: the word run is maximal because a sign can never be part of it.
std::optional<RelativeMatch> match_symbol_and_number(std::string_view text) {
    std::size_t end = 0;
    while (end < text.size() && is_word(text[end])) ++end;
    if (end + 1 >= text.size() || (text[end] != '+' && text[end] != '-') || !is_digit(text[end + 1]))
        return std::nullopt;
    std::size_t digits = end + 1;
    while (digits < text.size() && is_digit(text[digits])) ++digits;
    return RelativeMatch{std::string(text.substr(0, end)), text.substr(end, digits - end),
                         text.substr(digits)};
}

/// Fills the relative fields of `target` from a match that must span the whole text.
Expected<Target> relative_target(Target target, std::string branch, RelativeMatch match) {
    if (!match.rest.empty()) {
        return fail(fmt::format("revision target '{}' has '{}' after the number {}", target.text, match.rest,
                                match.number));
    }
    target.kind = TargetKind::Relative;
    target.branch = std::move(branch);
    target.symbol = std::move(match.symbol);
    const char* begin = match.number.data() + (match.number.front() == '+' ? 1 : 0);
    if (std::from_chars(begin, match.number.data() + match.number.size(), target.steps).ec != std::errc())
        return fail(fmt::format("relative revision '{}' is out of range", target.text));
    if (target.symbol == "base" && target.steps < 0)
        return fail(fmt::format("revision target '{}' walks below base", target.text));
    return target;
}

std::string relative_failure(std::string_view number, int steps) {
    return fmt::format("Relative revision {} didn't produce {} migrations", number,
                       steps < 0 ? -steps : steps);
}

std::string signed_steps(int steps) {
    return steps > 0 ? fmt::format("+{}", steps) : fmt::format("{}", steps);
}

WalkPosition position_of(std::optional<Index> index) {
    if (!index) return {};
    return {WalkPosition::Kind::Revision, *index};
}

std::vector<Index> resolve_each(const RevisionMap& map, const std::vector<std::string>& identifiers) {
    std::vector<Index> out;
    for (const std::string& identifier : identifiers) {
        if (identifier.empty()) continue;
        for (const Index i : map.revisions_for(identifier)) out.push_back(i);
    }
    return out;
}

}  // namespace

Expected<Target> parse_target(std::string_view text) {
    if (text.empty()) return fail("empty revision target");
    Target target;
    target.text = std::string(text);
    // `(?:(.+?)@)?` is lazy: the first '@' after at least one character that lets the rest match wins.
    // Unlike Alembic, the match must reach the end of the text: "+2abc" is an error, not "+2".
    std::optional<Expected<Target>> partial;
    for (std::size_t at = 1; at < text.size(); ++at) {
        if (text[at] != '@') continue;
        if (auto match = match_symbol_and_number(text.substr(at + 1))) {
            const bool whole = match->rest.empty();
            auto relative = relative_target(target, std::string(text.substr(0, at)), std::move(*match));
            if (relative || whole) return relative;
            if (!partial) partial = std::move(relative);
        }
    }
    if (auto match = match_symbol_and_number(text)) return relative_target(target, {}, std::move(*match));
    if (partial) return std::move(*partial);
    std::string_view symbol = text;
    if (const auto at = text.find('@'); at != std::string_view::npos) {
        target.branch = std::string(text.substr(0, at));
        symbol = text.substr(at + 1);
    }
    if (symbol.empty()) return fail(fmt::format("revision target '{}' names no revision after '@'", text));
    target.symbol = std::string(symbol);
    if (symbol == "head") {
        target.kind = TargetKind::Head;
    } else if (symbol == "heads") {
        target.kind = TargetKind::Heads;
    } else if (symbol == "base") {
        target.kind = TargetKind::Base;
    } else {
        target.kind = TargetKind::Revision;
    }
    return target;
}

Expected<TargetRange> split_range(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return TargetRange{std::nullopt, std::string(text)};
    if (text.find(':', colon + 1) != std::string_view::npos)
        return fail(fmt::format("revision range '{}' has more than one ':'", text));
    return TargetRange{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

std::vector<Index> resolve_upgrade_target(const RevisionMap& map, const std::vector<std::string>& current,
                                          const Target& target, RelativeLength length) {
    if (target.kind != TargetKind::Relative) return map.revisions_for(target.text);
    const std::string number = signed_steps(target.steps);
    if (target.steps > 0) {
        WalkPosition start;
        if (!target.symbol.empty()) {
            start = position_of(map.revision_for(target.symbol));
        } else {
            std::vector<WalkPosition> starts;
            if (!target.branch.empty()) {
                const auto current_revisions = resolve_each(map, current);
                auto on_branch =
                    map.filter_for_lineage(current_revisions, target.branch, EdgeMode::Versioned);
                if (on_branch.empty()) {
                    // The branch is not current: start from the tips of its applied part, or from base.
                    const auto applied = map.ancestors(current_revisions, EdgeMode::WithDependencies);
                    std::vector<Index> active;
                    for (Index i = 0; i < map.size(); ++i)
                        if (applied[i]) active.push_back(i);
                    active = map.filter_for_lineage(active, target.branch, EdgeMode::Versioned);
                    std::vector<char> is_parent(map.size(), 0);
                    for (const Index i : active)
                        for (const Index p : map.parents(i, EdgeMode::WithDependencies)) is_parent[p] = 1;
                    for (const Index i : active)
                        if (!is_parent[i]) on_branch.push_back(i);
                }
                for (const Index i : on_branch) starts.push_back({WalkPosition::Kind::Revision, i});
                if (starts.empty()) starts.push_back({});
            } else if (current.empty()) {
                starts.push_back({});
            } else {
                for (const std::string& id : current) starts.push_back(position_of(map.revision_for(id)));
            }
            if (starts.size() > 1) throw Error("Ambiguous upgrade from multiple current revisions");
            start = starts.front();
        }
        const auto reached = map.walk(start, target.steps, target.branch, length);
        if (!reached || reached->kind != WalkPosition::Kind::Revision)
            throw Error(relative_failure(number, target.steps));
        return {reached->index};
    }
    if (target.symbol.empty()) throw Error(relative_failure(std::to_string(target.steps), target.steps));
    const auto anchor = target.branch.empty() ? map.revision_for(target.symbol)
                                              : map.revision_for(target.branch + "@" + target.symbol);
    const auto reached = map.walk(position_of(anchor), target.steps, "", length);
    if (!reached) throw Error(relative_failure(number, target.steps));
    if (reached->kind != WalkPosition::Kind::Revision) return {};
    return {reached->index};
}

DowngradeTarget resolve_downgrade_target(const RevisionMap& map, const std::vector<std::string>& current,
                                         const Target& target, RelativeLength length) {
    if (target.kind != TargetKind::Relative) {
        // Absolute: Alembic splits on the last '@' and looks the symbol up on its own.
        const auto at = target.text.rfind('@');
        DowngradeTarget out;
        std::string symbol = target.text;
        if (at != std::string::npos) {
            out.branch = target.text.substr(0, at);
            symbol = target.text.substr(at + 1);
        }
        out.position = position_of(map.revision_for(symbol));
        return out;
    }
    const std::string number = signed_steps(target.steps);
    if (target.steps >= 0) {
        if (target.symbol.empty()) throw Error(relative_failure(number, target.steps));
        const auto reached =
            map.walk(position_of(map.revision_for(target.symbol)), target.steps, target.branch, length);
        if (!reached)
            throw Error(fmt::format("Walked too far: '{}' runs past the last revision", target.text));
        return {target.branch, *reached};
    }
    std::string branch = target.branch;
    std::string symbol = target.symbol;
    const bool relative_to_current = symbol.empty();
    if (relative_to_current) {
        if (!branch.empty()) {
            const auto current_revisions = resolve_each(map, current);
            auto on_branch = map.filter_for_lineage(current_revisions, branch, EdgeMode::Versioned);
            if (on_branch.empty()) {
                on_branch =
                    map.filter_for_lineage(map.all_current(current_revisions), branch, EdgeMode::Versioned);
            }
            if (on_branch.size() != 1) {
                throw Error(
                    fmt::format("'{}' must match exactly one current revision on branch '{}'; found {}",
                                target.text, branch, on_branch.size()));
            }
            symbol = map.at(on_branch.front()).id();
        } else {
            if (current.empty()) throw Error(relative_failure(number, target.steps));
            if (std::set<std::string>(current.begin(), current.end()).size() > 1) {
                log::warn(
                    "downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a "
                    "future "
                    "release.");
            }
            symbol = current.front();
            branch = symbol;  // keep the walk and the downgrade on the selected head's branch
        }
    }
    const auto anchor = branch.empty() ? map.revision_for(symbol) : map.revision_for(branch + "@" + symbol);
    const auto reached = map.walk(position_of(anchor), target.steps, "", length);
    if (!reached) {
        if (relative_to_current) throw Error(relative_failure(number, target.steps));
        throw Error(fmt::format("Walked too far: '{}' runs past the base", target.text));
    }
    return {branch, *reached};
}

}  // namespace migrator::script
