#pragma once
// Small string helpers shared by the parsers.

#include <string>
#include <string_view>
#include <vector>

#include "util/ascii.hpp"

namespace migrator::util {

/// `text` without leading and trailing ASCII white space (inline: the script parser calls it per line).
inline std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

/// Splits "a, b,c" into {"a","b","c"}: items trimmed, empty items dropped.
std::vector<std::string> split_list(std::string_view text, char separator = ',');

/// Items joined with ", ", as in error messages and the script header.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

/// Whether `printable` keeps line feeds (a multi-line block) or escapes them (one line).
enum class LineBreaks { Escape, Keep };

/// `text` safe for a terminal or a log line: control characters (ESC, CR, NUL, DEL, C1 controls, and
/// LF unless kept; tab stays), bidirectional overrides and bytes that are not valid UTF-8 become
/// `\xNN`, `\r`, `\n` or `\u{NNNN}`. Anything else, including valid UTF-8, is returned unchanged.
std::string printable(std::string_view text, LineBreaks line_breaks = LineBreaks::Escape);

/// Optimal string alignment distance: a swapped pair of letters counts as one typo.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// " (did you mean 'x'?)" for the candidate closest to `name` within a few typos, or "".
std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace migrator::util
