// Test support: builds ValidatedBatch values from literals, the way the ingest layer hands them
// to the store (rows in contract column order, series as columns, spec pointers from
// find_table()), and a fresh temporary directory per test.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/import_contract.hpp"
#include "model/rows.hpp"

namespace gridaudit::testing {

inline FieldValue missing() {
    return std::monostate{};
}
inline FieldValue text(std::string_view value) {
    return std::string(value);
}
inline FieldValue integer(std::int64_t value) {
    return value;
}
inline FieldValue decimal(double value) {
    return value;
}
inline FieldValue money(std::string_view value) {
    return *Money::parse(value);
}
inline FieldValue date(std::string_view value) {
    return *CivilDate::parse(value);
}
inline FieldValue period(std::string_view value) {
    return *Period::parse(value);
}
inline FieldValue instant(std::string_view value) {
    return *Instant::parse(value);
}

inline CivilDate day(std::string_view value) {
    return *CivilDate::parse(value);
}

class BatchBuilder {
public:
    explicit BatchBuilder(std::string content_hash) {
        batch_.content_hash = std::move(content_hash);
        batch_.source = "test export";
    }

    // A row of `table` with one value per contract column, in contract order.
    BatchBuilder& row(std::string_view table, std::vector<FieldValue> values) {
        const TableSpec* spec = find_table(table);
        EXPECT_NE(spec, nullptr) << table;
        EXPECT_EQ(values.size(), spec->columns.size()) << table;
        TableRows* rows = nullptr;
        for (auto& existing : batch_.tables)
            if (existing.spec == spec) rows = &existing;
        if (rows == nullptr) rows = &batch_.tables.emplace_back(TableRows{spec, {}});
        rows->rows.push_back(Row{std::move(values), static_cast<std::uint32_t>(rows->rows.size() + 2)});
        return *this;
    }

    BatchBuilder& substation(std::string_view node_id) {
        return row("network", {text(node_id), missing(), text("substation"), text("Station"), missing(), decimal(40000),
                               missing()});
    }
    BatchBuilder& customer(std::string_view customer_id, std::string_view node_id) {
        return row("customers", {text(customer_id), text("Li Ming"), missing(), text(node_id), text("residential"),
                                 missing(), decimal(0.22), decimal(8), text("RES-TIER"), missing(), text("active"),
                                 date("2019-04-01"), missing(), missing()});
    }
    BatchBuilder& meter(std::string_view meter_id, std::string_view customer_id) {
        return row("meters",
                   {text(meter_id), text(customer_id), missing(), text("DDZY71"), text("2.0"), integer(1), decimal(5),
                    text("1"), text("1"), missing(), missing(), decimal(1), date("2018-06-15"), missing(), missing()});
    }
    // A substation N1, and for each meter id a customer "C" + id and the meter.
    BatchBuilder& master_data(const std::vector<std::string>& meter_ids) {
        substation("N1");
        for (const auto& id : meter_ids) customer("C" + id, "N1");
        for (const auto& id : meter_ids) meter(id, "C" + id);
        return *this;
    }

    BatchBuilder& daily(const std::string& meter_id, std::string_view on, double import_register,
                        double export_register) {
        batch_.daily.meter.push_back(meter_index(batch_.daily.meter_ids, daily_meters_, meter_id));
        batch_.daily.day.push_back(day(on).days_since_epoch());
        batch_.daily.import_register.push_back(import_register);
        batch_.daily.export_register.push_back(export_register);
        return *this;
    }

    BatchBuilder& interval(const std::string& meter_id, std::string_view start, std::uint16_t minutes, double kwh,
                           std::uint8_t flags = 0) {
        batch_.interval.meter.push_back(meter_index(batch_.interval.meter_ids, interval_meters_, meter_id));
        batch_.interval.start.push_back(Instant::parse(start)->unix_seconds());
        batch_.interval.minutes.push_back(minutes);
        batch_.interval.kwh.push_back(kwh);
        batch_.interval.flags.push_back(flags);
        return *this;
    }

    BatchBuilder& tariff(std::string id, std::string json) {
        batch_.tariffs.push_back(TariffDocument{id, id + ".json", std::move(json), /*effective_from=*/""});
        return *this;
    }

    [[nodiscard]] const ValidatedBatch& batch() const { return batch_; }
    [[nodiscard]] ValidatedBatch& batch() { return batch_; }

private:
    static std::uint32_t meter_index(std::vector<std::string>& ids, std::map<std::string, std::uint32_t>& known,
                                     const std::string& id) {
        const auto [at, added] = known.emplace(id, static_cast<std::uint32_t>(ids.size()));
        if (added) ids.push_back(id);
        return at->second;
    }

    ValidatedBatch batch_;
    std::map<std::string, std::uint32_t> daily_meters_;
    std::map<std::string, std::uint32_t> interval_meters_;
};

// A fresh directory under the system temp directory, removed with everything in it.
class TemporaryDirectory {
public:
    TemporaryDirectory() {
        std::string pattern = (std::filesystem::temp_directory_path() / "gridaudit-store-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
        path_ = pattern;
    }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
    ~TemporaryDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    [[nodiscard]] std::string file(std::string_view name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

}  // namespace gridaudit::testing
