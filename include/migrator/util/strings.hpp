#pragma once
// Small string helpers shared by the parsers.

#include <string>
#include <string_view>
#include <vector>

namespace migrator::util {

/// `text` without leading and trailing ASCII white space.
std::string_view trim(std::string_view text);

/// Splits "a, b,c" into {"a","b","c"}: items trimmed, empty items dropped.
std::vector<std::string> split_list(std::string_view text, char separator = ',');

/// Items joined with ", ", as in error messages and the script header.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace migrator::util
