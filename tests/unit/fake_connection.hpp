#pragma once
// A Connection for unit tests: records every statement and answers queries from a script.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migrator/db/connection.hpp"

namespace migrator::testing {

/// Records statements in `log` (comments as "-- text"); fails or answers as configured.
class FakeConnection final : public db::Connection {
public:
    /// Everything executed, in order.
    std::vector<std::string> log;
    /// A statement containing this text throws DatabaseError(failure_message).
    std::optional<std::string> fail_on;
    std::string failure_message = "fake failure";
    /// Rows returned by a query containing the key; other queries return no rows.
    std::map<std::string, std::vector<std::optional<std::string>>> answers;
    /// The parameters of every bound statement (execute_bound), in order (its SQL is in `log`).
    std::vector<Parameters> bound_params;
    /// The parameters of every bound query (query_bound), in order (its SQL is in `log`).
    std::vector<Parameters> query_params;
    /// The parameters of each bound entry of `log`, by its index.
    std::map<std::size_t, Parameters> params_of_entry;
    /// What execute_update reports.
    std::int64_t matched_rows = 1;
    /// Called with each statement before it is recorded; may throw, as a database would.
    std::function<void(std::string_view)> before_execute;
    /// How often interrupt() was called.
    int interrupts = 0;
    /// Whether lock() grants the lock; every call is recorded in `log` as "LOCK name timeout".
    bool lock_available = true;

    void execute(std::string_view sql) override {
        if (before_execute) before_execute(sql);
        log.emplace_back(sql);
        if (fail_on && sql.find(*fail_on) != std::string_view::npos) throw db::DatabaseError(failure_message);
    }

    std::optional<std::int64_t> execute_update(std::string_view sql) override {
        execute(sql);
        return matched_rows;
    }

    std::vector<std::optional<std::string>> query_column(std::string_view sql) override {
        log.emplace_back(sql);
        for (const auto& [key, rows] : answers) {
            if (sql.find(key) != std::string_view::npos) return rows;
        }
        return {};
    }

    std::vector<std::vector<std::optional<std::string>>> query_bound(std::string_view sql,
                                                                     const Parameters& params) override {
        log.emplace_back(sql);
        query_params.push_back(params);
        params_of_entry[log.size() - 1] = params;
        if (fail_on && sql.find(*fail_on) != std::string_view::npos) throw db::DatabaseError(failure_message);
        // Answered from `answers`, one column per row.
        std::vector<std::vector<std::optional<std::string>>> rows;
        for (const auto& [key, column] : answers) {
            if (sql.find(key) == std::string_view::npos) continue;
            for (const auto& value : column) rows.push_back({value});
            break;
        }
        return rows;
    }

    std::optional<std::int64_t> execute_bound(std::string_view sql, const Parameters& params) override {
        bound_params.push_back(params);
        execute(sql);
        params_of_entry[log.size() - 1] = params;
        return matched_rows;
    }

    void comment(std::string_view text) override { log.push_back("-- " + std::string(text)); }

    void interrupt() override { ++interrupts; }

    std::unique_ptr<db::Lock> lock(std::string_view name, std::chrono::seconds timeout) override {
        log.push_back("LOCK " + std::string(name) + " " + std::to_string(timeout.count()));
        if (!lock_available) return nullptr;
        return std::make_unique<db::Lock>();
    }
};

}  // namespace migrator::testing
