#pragma once
// `?` placeholders of a bound statement, found outside quotes and comments.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace migrator::db {

/// `sql` with the n-th `?` (counting from 0) that lies outside quoted text and comments replaced by
/// replacement(n); throws DatabaseError unless there are exactly `count` of them.
std::string substitute_placeholders(std::string_view sql, std::size_t count,
                                    const std::function<std::string(std::size_t)>& replacement);

}  // namespace migrator::db
