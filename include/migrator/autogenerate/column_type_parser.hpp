#pragma once
// The model file's column-type grammar: "integer", "string(255)", "numeric(10, 2)",
// "timestamp with time zone", in any letter case and spacing (docs/models.md lists the types).

#include <string>
#include <string_view>

#include "migrator/schema/schema.hpp"
#include "migrator/util/expected.hpp"

namespace migrator::autogenerate {

/// The portable type `written` spells. A failure says what is wrong without a place ("unknown type
/// 'strng' (did you mean 'string'?); valid types: ..."): the model file adds the file, line and column.
Expected<schema::ColumnType> parse_column_type(std::string_view written);

/// `text` in lower case with runs of white space made one space and dropped around '(', ')' and ',':
/// how the grammar compares words, also used for the model file's "on_delete: SET  NULL".
std::string canonical_words(std::string_view text);

}  // namespace migrator::autogenerate
