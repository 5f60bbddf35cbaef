#pragma once
// Revision ids: how new ones are made and which ones a script may use.

#include <cstddef>
#include <string>
#include <string_view>

#include "util/expected.hpp"

namespace migrator::script {

/// The longest id the version table column (VARCHAR(32)) can hold.
inline constexpr std::size_t max_revision_id_length = 32;

/// A fresh id: 12 lowercase hex characters from the kernel's CSPRNG (getrandom); throws Error if it has no
/// entropy.
std::string generate_revision_id();

/// The id itself when usable: [A-Za-z0-9_]{1,32} and not head, heads, base or current (any case).
/// The failure says why and quotes the id, but names no file; callers add that.
Expected<std::string> validate_revision_id(std::string_view id);

/// The label itself when usable as a branch label or depends_on entry: non-empty, no white space,
/// none of '@' '+' '-' ':' ',', and not a reserved word. Same failure convention as above.
Expected<std::string> validate_branch_label(std::string_view label);

}  // namespace migrator::script
