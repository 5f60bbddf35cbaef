#pragma once
// Checksums of a script's sections, so that an edit to an applied migration is noticed
// (normalisation described in docs/integrity.md).

#include <string>
#include <string_view>

namespace migrator::script {

/// The name stored in front of every checksum; a later algorithm gets a new name.
inline constexpr std::string_view checksum_algorithm = "sha256";

/// A section's text as it is hashed: a leading BOM dropped, CRLF and CR as LF, trailing white space
/// removed from every line, blank lines at the start and end dropped.
std::string normalise_section(std::string_view sql);

/// The SHA-256 digest of `text` as it is, in 64 lowercase hex digits.
std::string sha256_hex(std::string_view text);

/// "sha256:<64 lowercase hex digits>" of normalise_section(sql).
std::string section_checksum(std::string_view sql);

}  // namespace migrator::script
