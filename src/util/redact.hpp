#pragma once
// Masks passwords in text by structure, never by searching for the password itself: a substring
// search for a short password such as "p" would mangle other words and reveal its letters.

#include <string>
#include <string_view>

namespace migrator::util {

/// `text` with "***" in place of every password field it carries: the password of a URL
/// (`scheme://user:PASSWORD@host`), and the value of a `password=`, `passwd=`, `pwd=` or `pass=`
/// key (any key containing "password"; quoted values too) in a libpq, MySQL or URL-query string.
/// All other text is returned unchanged.
std::string redact(std::string_view text);

}  // namespace migrator::util
