#include "soci_session.hpp"

#include <fmt/format.h>

#include <ctime>

#include "drivers.hpp"
#include "migrator/db/connect_failure.hpp"
#include "migrator/db/placeholders.hpp"

namespace migrator::db {

namespace {

// SOCI's backends start some messages with where they failed, as in
// "sqlite3_statement_backend::prepare: no such table: t"; users need only the database's part.
std::string_view without_driver_prefix(std::string_view message) {
    const auto colons = message.find("::");
    const auto end = message.find(": ");
    if (colons == std::string_view::npos || end == std::string_view::npos || colons > end) return message;
    for (const char c : message.substr(0, end)) {
        const bool name = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          c == '_' || c == ':';
        if (!name) return message;
    }
    return message.substr(end + 2);
}

std::optional<std::string> column_text(const soci::row& row, std::size_t column = 0) {
    if (row.size() <= column || row.get_indicator(column) == soci::i_null) return std::nullopt;
    switch (row.get_properties(column).get_data_type()) {
        case soci::dt_string:
        case soci::dt_xml:
            return row.get<std::string>(column);
        case soci::dt_integer:
            return std::to_string(row.get<int>(column));
        case soci::dt_long_long:
            return std::to_string(row.get<long long>(column));
        case soci::dt_unsigned_long_long:
            return std::to_string(row.get<unsigned long long>(column));
        case soci::dt_double:
            return fmt::format("{}", row.get<double>(column));
        case soci::dt_date: {
            const std::tm when = row.get<std::tm>(column);
            char text[32];
            const auto size = std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &when);
            return std::string(text, size);
        }
        case soci::dt_blob:
            break;
    }
    throw DatabaseError("query returned a column type that cannot be shown as text");
}

// SOCI names placeholders; `?` becomes :p1, :p2... and values are bound by position.
struct SociBinding {
    std::string sql;
    std::vector<std::string> values;
    std::vector<soci::indicator> indicators;

    SociBinding(std::string_view text, const Connection::Parameters& params) {
        sql = substitute_placeholders(text, params.size(),
                                      [](std::size_t n) { return fmt::format(":p{}", n + 1); });
        for (const auto& param : params) {
            values.push_back(param.value_or(std::string()));
            indicators.push_back(param ? soci::i_ok : soci::i_null);
        }
    }

    void bind(soci::statement& statement) {
        for (std::size_t i = 0; i < values.size(); ++i)
            statement.exchange(soci::use(values[i], indicators[i]));
    }
};

}  // namespace

std::string error_text(const soci::soci_error& error) {
    const std::string& message = error.get_error_message();
    return clean_message(
        without_driver_prefix(message.empty() ? std::string_view(error.what()) : std::string_view(message)));
}

SociSession::SociSession(const soci::connection_parameters& parameters, const config::DatabaseUrl& url) try
    : session_(parameters) {
} catch (const soci::soci_error& error) {
    const auto driver_message = error_text(error);
    const auto failure = classify_connect_failure(driver_message);
    throw ConnectionError(
        clean_message(describe_connect_failure(failure, url.redacted(), url.user, driver_message)), failure);
}

void SociSession::execute(std::string_view sql) {
    try {
        session_ << std::string(sql);
    } catch (const soci::soci_error& error) {
        throw DatabaseError(error_text(error));
    }
}

std::int64_t SociSession::execute_update(std::string_view sql) {
    try {
        soci::statement statement = (session_.prepare << std::string(sql));
        statement.execute(true);
        return static_cast<std::int64_t>(statement.get_affected_rows());
    } catch (const soci::soci_error& error) {
        throw DatabaseError(error_text(error));
    }
}

std::vector<std::optional<std::string>> SociSession::query_column(std::string_view sql) {
    try {
        std::vector<std::optional<std::string>> values;
        const soci::rowset<soci::row> rows = (session_.prepare << std::string(sql));
        for (const auto& row : rows) values.push_back(column_text(row));
        return values;
    } catch (const soci::soci_error& error) {
        throw DatabaseError(error_text(error));
    }
}

Rows SociSession::query_rows(std::string_view sql) {
    try {
        Rows values;
        const soci::rowset<soci::row> rows = (session_.prepare << std::string(sql));
        for (const auto& row : rows) {
            auto& columns = values.emplace_back();
            for (std::size_t c = 0; c < row.size(); ++c) columns.push_back(column_text(row, c));
        }
        return values;
    } catch (const soci::soci_error& error) {
        throw DatabaseError(error_text(error));
    }
}

Rows SociSession::query_bound(std::string_view sql, const Connection::Parameters& params) {
    try {
        SociBinding binding(sql, params);
        soci::row row;
        soci::statement statement(session_);
        statement.alloc();
        binding.bind(statement);
        statement.exchange(soci::into(row));
        statement.prepare(binding.sql);
        statement.define_and_bind();
        Rows values;
        if (!statement.execute(true)) return values;
        do {
            auto& columns = values.emplace_back();
            for (std::size_t c = 0; c < row.size(); ++c) columns.push_back(column_text(row, c));
        } while (statement.fetch());
        return values;
    } catch (const soci::soci_error& error) {
        throw DatabaseError(error_text(error));
    }
}

std::int64_t SociSession::execute_bound(std::string_view sql, const Connection::Parameters& params) {
    try {
        SociBinding binding(sql, params);
        soci::statement statement(session_);
        statement.alloc();
        binding.bind(statement);
        statement.prepare(binding.sql);
        statement.define_and_bind();
        statement.execute(true);
        return static_cast<std::int64_t>(statement.get_affected_rows());
    } catch (const soci::soci_error& error) {
        throw DatabaseError(error_text(error));
    }
}

}  // namespace migrator::db
