#include "migrator/script/statement_splitter.hpp"

#include <initializer_list>
#include <string>
#include <utility>

namespace migrator::script {

namespace {

// PostgreSQL truncates identifiers (and so dollar-quote tags) at 63 bytes; the cap keeps the
// search for the closing tag linear.
constexpr std::size_t max_dollar_tag_length = 63;

// How many words into a CREATE statement we look for TRIGGER, FUNCTION, ...
constexpr int routine_keyword_search_words = 8;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_word_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

bool is_word_char(char c) {
    return is_word_start(c) || (c >= '0' && c <= '9') || c == '$';
}

bool keyword_is(std::string_view word, std::string_view upper_keyword) {
    if (word.size() != upper_keyword.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        const char c = word[i];
        const char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        if (upper != upper_keyword[i]) return false;
    }
    return true;
}

bool keyword_in(std::string_view word, std::initializer_list<std::string_view> keywords) {
    for (std::string_view keyword : keywords) {
        if (keyword_is(word, keyword)) return true;
    }
    return false;
}

enum class Mode {
    Code,
    SingleQuoted,
    EscapeString,
    DoubleQuoted,
    Backticked,
    Bracketed,
    LineComment,
    BlockComment,
    DollarQuoted
};

// Splits one section. Tracks, per statement, whether it is a CREATE TRIGGER/FUNCTION/PROCEDURE/EVENT
// whose BEGIN ... END body may hold semicolons of its own.
class Splitter {
public:
    Splitter(std::string_view sql, std::size_t first_line) : sql_(sql), line_(first_line) {}

    std::vector<Statement> run() {
        while (pos_ < sql_.size()) step();
        finish_statement();
        return std::move(statements_);
    }

private:
    void step() {
        switch (mode_) {
            case Mode::Code:
                return step_code();
            case Mode::SingleQuoted:
                return step_quoted('\'', EscapeStyle::DoubledOnly);
            case Mode::EscapeString:
                return step_quoted('\'', EscapeStyle::DoubledOrBackslash);
            case Mode::DoubleQuoted:
                return step_quoted('"', EscapeStyle::DoubledOnly);
            case Mode::Backticked:
                return step_quoted('`', EscapeStyle::DoubledOnly);
            case Mode::Bracketed:
                return step_quoted(']', EscapeStyle::None);
            case Mode::LineComment:
                return step_line_comment();
            case Mode::BlockComment:
                return step_block_comment();
            case Mode::DollarQuoted:
                return step_dollar_quoted();
        }
    }

    char at(std::size_t index) const { return index < sql_.size() ? sql_[index] : '\0'; }

    void advance(std::size_t count = 1) {
        for (std::size_t i = 0; i < count; ++i) {
            if (sql_[pos_] == '\n') ++line_;
            ++pos_;
        }
    }

    void step_code() {
        const char c = sql_[pos_];
        const char next = at(pos_ + 1);
        if (is_space(c)) return advance();
        if (c == '-' && next == '-') return enter(Mode::LineComment, 2);
        if (c == '/' && next == '*') return enter(Mode::BlockComment, 2);
        if (c == ';') return semicolon();
        if (is_word_start(c)) return word();

        mark_significant();
        if (c == '\'')
            return enter_quoted(preceded_by_escape_prefix() ? Mode::EscapeString : Mode::SingleQuoted);
        if (c == '"') return enter_quoted(Mode::DoubleQuoted);
        if (c == '`') return enter_quoted(Mode::Backticked);
        if (c == '[') return enter_quoted(Mode::Bracketed);
        if (c == '$' && try_enter_dollar_quote()) return;
        resolve_pending_end();
        advance();
        significant_end_ = pos_;
    }

    // E'...' (PostgreSQL) honours backslash escapes; the E must be a word of its own.
    bool preceded_by_escape_prefix() const {
        if (pos_ == 0) return false;
        const char prefix = sql_[pos_ - 1];
        if (prefix != 'E' && prefix != 'e') return false;
        return pos_ == 1 || !is_word_char(sql_[pos_ - 2]);
    }

    void enter(Mode mode, std::size_t opener_length) {
        mode_ = mode;
        advance(opener_length);
    }

    // The opening quote is statement text even when nothing follows it, so that a lone quote at the end
    // reaches the database (which rejects it) instead of leaving an empty statement.
    void enter_quoted(Mode mode) {
        enter(mode, 1);
        significant_end_ = pos_;
    }

    enum class EscapeStyle { None, DoubledOnly, DoubledOrBackslash };

    void step_quoted(char closer, EscapeStyle escapes) {
        const char c = sql_[pos_];
        if (escapes == EscapeStyle::DoubledOrBackslash && c == '\\') {
            advance(pos_ + 1 < sql_.size() ? 2 : 1);
        } else if (c == closer && escapes != EscapeStyle::None && at(pos_ + 1) == closer) {
            advance(2);
        } else if (c == closer) {
            advance();
            mode_ = Mode::Code;
        } else {
            advance();
        }
        significant_end_ = pos_;
    }

    void step_line_comment() {
        if (sql_[pos_] == '\n') mode_ = Mode::Code;
        advance();
    }

    void step_block_comment() {
        if (sql_[pos_] == '*' && at(pos_ + 1) == '/') {
            mode_ = Mode::Code;
            return advance(2);
        }
        advance();
    }

    // At a '$' in code: a dollar quote opens with $$ or $tag$, where the '$' does not continue a word
    // (PostgreSQL identifiers may contain '$') and the tag is not a parameter like $1.
    bool try_enter_dollar_quote() {
        if (pos_ > 0 && is_word_char(sql_[pos_ - 1])) return false;
        std::size_t end = pos_ + 1;
        if (end < sql_.size() && is_word_start(sql_[end])) {
            while (end < sql_.size() && is_word_char(sql_[end]) && sql_[end] != '$') ++end;
        }
        if (end >= sql_.size() || sql_[end] != '$') return false;
        const std::size_t tag_length = end - pos_ - 1;
        if (tag_length > max_dollar_tag_length) return false;
        resolve_pending_end();
        dollar_delimiter_ = sql_.substr(pos_, tag_length + 2);
        enter(Mode::DollarQuoted, dollar_delimiter_.size());
        significant_end_ = pos_;
        return true;
    }

    void step_dollar_quoted() {
        if (sql_[pos_] == '$' && sql_.substr(pos_, dollar_delimiter_.size()) == dollar_delimiter_) {
            advance(dollar_delimiter_.size());
            mode_ = Mode::Code;
        } else {
            advance();
        }
        significant_end_ = pos_;
    }

    void word() {
        mark_significant();
        const std::size_t start = pos_;
        while (pos_ < sql_.size() && is_word_char(sql_[pos_])) ++pos_;  // words hold no newline
        significant_end_ = pos_;
        keyword(sql_.substr(start, pos_ - start));
    }

    void keyword(std::string_view word) {
        if (end_pending_) {
            end_pending_ = false;
            // END IF / END LOOP / ... close blocks that were never counted.
            if (keyword_in(word, {"IF", "LOOP", "WHILE", "REPEAT"})) return;
            if (block_depth_ > 0) --block_depth_;
            if (keyword_is(word, "CASE")) return;  // END CASE closes the CASE counted earlier
        }
        if (word_count_ <= routine_keyword_search_words) ++word_count_;  // saturates: only the start matters
        if (word_count_ == 1) {
            statement_is_create_ = keyword_is(word, "CREATE");
            return;
        }
        if (statement_is_create_ && !routine_ && word_count_ <= routine_keyword_search_words) {
            if (keyword_in(word, {"TRIGGER", "FUNCTION", "PROCEDURE", "EVENT"})) {
                routine_ = true;
            } else if (keyword_in(word, {"TABLE", "VIEW", "INDEX"})) {
                statement_is_create_ = false;
            }
            return;
        }
        if (!routine_) return;
        if (keyword_in(word, {"BEGIN", "CASE"})) {
            ++block_depth_;
        } else if (keyword_is(word, "END")) {
            end_pending_ = true;
        }
    }

    void resolve_pending_end() {
        if (!end_pending_) return;
        end_pending_ = false;
        if (block_depth_ > 0) --block_depth_;
    }

    void semicolon() {
        resolve_pending_end();
        if (block_depth_ > 0) {
            mark_significant();
            advance();
            significant_end_ = pos_;
            return;
        }
        advance();
        finish_statement();
    }

    void mark_significant() {
        if (statement_started_) return;
        statement_started_ = true;
        statement_start_ = pos_;
        statement_line_ = line_;
    }

    void finish_statement() {
        if (statement_started_) {
            std::string_view text = sql_.substr(statement_start_, significant_end_ - statement_start_);
            statements_.push_back(Statement{std::string(text), statement_line_});
        }
        statement_started_ = false;
        word_count_ = 0;
        statement_is_create_ = false;
        routine_ = false;
        block_depth_ = 0;
        end_pending_ = false;
    }

    std::string_view sql_;
    std::size_t pos_ = 0;
    std::size_t line_;
    Mode mode_ = Mode::Code;
    std::string_view dollar_delimiter_;

    bool statement_started_ = false;
    std::size_t statement_start_ = 0;
    std::size_t statement_line_ = 0;
    std::size_t significant_end_ = 0;  // just past the last character that is not space or comment

    int word_count_ = 0;
    bool statement_is_create_ = false;
    bool routine_ = false;
    int block_depth_ = 0;
    bool end_pending_ = false;

    std::vector<Statement> statements_;
};

}  // namespace

std::vector<Statement> split_statements(std::string_view sql, std::size_t first_line) {
    return Splitter(sql, first_line).run();
}

}  // namespace migrator::script
