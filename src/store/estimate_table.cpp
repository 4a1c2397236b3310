// Writing, replacing and reading VEE estimates.
#include "store/estimate_table.hpp"

#include <cmath>

namespace gridaudit {

Result<std::size_t> replace_estimates(SqliteConnection& connection, CivilDate first, CivilDate last,
                                      const std::vector<DailyEstimate>& estimates) {
    GA_ASSIGN_OR_RETURN(auto clear, connection.prepare("DELETE FROM daily_estimates WHERE day BETWEEN ?1 AND ?2"));
    clear.bind_text_copy(1, first.to_string());
    clear.bind_text_copy(2, last.to_string());
    GA_TRY(clear.run());
    GA_ASSIGN_OR_RETURN(auto insert, connection.prepare("INSERT INTO daily_estimates (meter_id, day, kwh, method) "
                                                        "VALUES (?1, ?2, ?3, ?4)"));
    std::size_t stored = 0;
    for (const DailyEstimate& estimate : estimates) {
        if (estimate.day < first || estimate.day > last || std::isnan(estimate.kwh)) continue;
        insert.bind_text(1, estimate.meter_id);
        insert.bind_text_copy(2, estimate.day.to_string());
        insert.bind_double(3, estimate.kwh);
        insert.bind_text(4, estimate.method);
        GA_TRY(insert.run());
        ++stored;
    }
    return stored;
}

Result<std::size_t> drop_estimates_replaced_by(SqliteConnection& connection, const DailySeriesRows& daily) {
    GA_ASSIGN_OR_RETURN(const auto any, connection.query_int64("SELECT EXISTS (SELECT 1 FROM daily_estimates)"));
    if (any == 0) return std::size_t{0};
    GA_ASSIGN_OR_RETURN(auto drop, connection.prepare("DELETE FROM daily_estimates WHERE meter_id = ?1 AND day = ?2"));
    std::size_t dropped = 0;
    for (std::size_t i = 0; i < daily.size(); ++i) {
        if (std::isnan(daily.import_register[i])) continue;
        drop.bind_text(1, daily.meter_ids[daily.meter[i]]);
        drop.bind_text_copy(2, CivilDate::from_days(daily.day[i]).to_string());
        GA_TRY(drop.run());
        dropped += static_cast<std::size_t>(connection.changes());
    }
    return dropped;
}

Result<std::vector<DailyEstimate>> read_estimates(SqliteConnection& connection) {
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare("SELECT meter_id, day, kwh, method FROM daily_estimates "
                                                        "ORDER BY meter_id, day"));
    std::vector<DailyEstimate> estimates;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return estimates;
        estimates.push_back(DailyEstimate{std::string(select.column_text(0)),
                                          CivilDate::parse(select.column_text(1)).value_or(CivilDate()),
                                          select.column_double(2), std::string(select.column_text(3))});
    }
}

Result<std::size_t> replace_interval_estimate_rows(SqliteConnection& connection, std::int64_t first, std::int64_t end,
                                                  const std::vector<IntervalEstimate>& estimates) {
    GA_ASSIGN_OR_RETURN(auto clear,
                        connection.prepare("DELETE FROM interval_estimates WHERE start >= ?1 AND start < ?2"));
    clear.bind_int64(1, first);
    clear.bind_int64(2, end);
    GA_TRY(clear.run());
    GA_ASSIGN_OR_RETURN(auto insert, connection.prepare("INSERT INTO interval_estimates (meter_id, start, kwh, method) "
                                                        "VALUES (?1, ?2, ?3, ?4)"));
    std::size_t stored = 0;
    for (const IntervalEstimate& estimate : estimates) {
        if (estimate.start < first || estimate.start >= end || std::isnan(estimate.kwh)) continue;
        insert.bind_text(1, estimate.meter_id);
        insert.bind_int64(2, estimate.start);
        insert.bind_double(3, estimate.kwh);
        insert.bind_text(4, estimate.method);
        GA_TRY(insert.run());
        ++stored;
    }
    return stored;
}

Result<std::size_t> drop_interval_estimates_replaced_by(SqliteConnection& connection,
                                                        const IntervalSeriesRows& intervals) {
    GA_ASSIGN_OR_RETURN(const auto any, connection.query_int64("SELECT EXISTS (SELECT 1 FROM interval_estimates)"));
    if (any == 0) return std::size_t{0};
    GA_ASSIGN_OR_RETURN(auto drop,
                        connection.prepare("DELETE FROM interval_estimates WHERE meter_id = ?1 AND start = ?2"));
    std::size_t dropped = 0;
    for (std::size_t i = 0; i < intervals.size(); ++i) {
        if (std::isnan(intervals.kwh[i])) continue;
        drop.bind_text(1, intervals.meter_ids[intervals.meter[i]]);
        drop.bind_int64(2, intervals.start[i]);
        GA_TRY(drop.run());
        dropped += static_cast<std::size_t>(connection.changes());
    }
    return dropped;
}

Result<std::vector<IntervalEstimate>> read_interval_estimates(SqliteConnection& connection) {
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare("SELECT meter_id, start, kwh, method FROM interval_estimates "
                                                        "ORDER BY meter_id, start"));
    std::vector<IntervalEstimate> estimates;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return estimates;
        estimates.push_back(IntervalEstimate{std::string(select.column_text(0)), select.column_int64(1),
                                             select.column_double(2), std::string(select.column_text(3))});
    }
}

}  // namespace gridaudit
