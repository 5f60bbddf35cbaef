#pragma once
// Per-dialect statement boundaries, as byte ranges; statement_splitter.cpp turns them into Statements.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrator::script::lexer {

/// One statement's text: [begin, end) of the input, trimmed, without its delimiter.
struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// An unterminated construct (or other lexical error) starting at byte `offset`.
struct LexError {
    std::size_t offset = 0;
    std::string message;  // "unterminated /* comment"
};

/// The statements found, or where lexing stopped.
struct Lexed {
    std::vector<Span> spans;
    std::optional<LexError> error;
};

/// sqlite3_complete()'s state machine.
Lexed lex_sqlite(std::string_view sql);
/// libpg_query's scanner; lives in postgresql_lexer.cpp, the only file that includes pg_query.h.
Lexed lex_postgresql(std::string_view sql);
/// The mysql client's rules.
Lexed lex_mysql(std::string_view sql);

}  // namespace migrator::script::lexer
