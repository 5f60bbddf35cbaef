#pragma once
// Passwords seen during this run, so that the last line of defence can scrub any message.

#include <string>
#include <string_view>

namespace migrator::util {

/// Remembers a secret (a database password); empty strings are ignored.
void register_secret(std::string secret);

/// `text` with every registered secret replaced by "***".
std::string redact(std::string_view text);

}  // namespace migrator::util
