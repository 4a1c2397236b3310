// Billing reads from the store, by region (see billing_read_loader.hpp).
#include "billing_read_loader.hpp"

#include <unordered_map>
#include <variant>

#include "model/import_contract.hpp"

namespace gridaudit::testing {
namespace {

std::size_t column(const TableSpec& spec, std::string_view name) {
    for (std::size_t i = 0; i < spec.columns.size(); ++i)
        if (spec.columns[i].name == name) return i;
    return spec.columns.size();
}

std::string text(const Row& row, std::size_t i) {
    if (i >= row.values.size()) return {};
    const auto* s = std::get_if<std::string>(&row.values[i]);
    return s ? *s : std::string();
}

}  // namespace

Result<RegionBillingReads> RegionBillingReads::load(Store& store, const std::vector<RegionFrame>& frames) {
    const TableSpec* staff_spec = find_table("staff");
    const TableSpec* reads_spec = find_table("register_reads");
    if (!staff_spec || !reads_spec) return internal_error("the import contract has no staff or register_reads table");
    GA_ASSIGN_OR_RETURN(const auto staff_rows, store.read_rows(*staff_spec));
    std::unordered_map<std::string, std::string> team_of;
    const std::size_t staff_id = column(*staff_spec, "staff_id"), unit_id = column(*staff_spec, "unit_id");
    for (const Row& row : staff_rows) team_of[text(row, staff_id)] = text(row, unit_id);

    RegionBillingReads result;
    std::unordered_map<std::string, std::pair<Region*, std::uint32_t>> meter_at;
    for (const RegionFrame& frame : frames) {
        Region& region = result.by_substation_[frame.substation_id];
        region.meter_ids = frame.meters.id;
        for (std::size_t m = 0; m < frame.meters.size(); ++m)
            meter_at[frame.meters.id[m]] = {&region, static_cast<std::uint32_t>(m)};
    }
    GA_ASSIGN_OR_RETURN(const auto read_rows, store.read_rows(*reads_spec));
    const std::size_t meter_col = column(*reads_spec, "meter_id"), day_col = column(*reads_spec, "read_on"),
                      register_col = column(*reads_spec, "register"), value_col = column(*reads_spec, "value"),
                      source_col = column(*reads_spec, "source"), reader_col = column(*reads_spec, "reader_id");
    for (const Row& row : read_rows) {
        if (text(row, register_col) != "total") continue;
        const auto found = meter_at.find(text(row, meter_col));
        if (found == meter_at.end()) continue;
        const auto* day = std::get_if<CivilDate>(&row.values[day_col]);
        const auto* value = std::get_if<double>(&row.values[value_col]);
        if (!day || !value) continue;
        const std::string source = text(row, source_col);
        const ReadSource kind = source == "estimated" ? ReadSource::estimated
                                : source == "manual"  ? ReadSource::manual
                                                      : ReadSource::ami;
        std::string reader = text(row, reader_col);
        const auto team = team_of.find(reader);
        found->second.first->reads.push(MeterIndex{found->second.second}, *day, *value, kind, reader,
                                        team == team_of.end() ? std::string() : team->second);
    }
    for (auto& [id, region] : result.by_substation_) sort_billing_reads(region.reads);
    return result;
}

BillingReadsSource RegionBillingReads::source() const {
    return [this](const RegionFrame& frame) -> const BillingReadColumns* {
        const auto found = by_substation_.find(frame.substation_id);
        if (found == by_substation_.end() || found->second.meter_ids != frame.meters.id) return nullptr;
        return &found->second.reads;
    };
}

std::size_t RegionBillingReads::size() const {
    std::size_t total = 0;
    for (const auto& [id, region] : by_substation_) total += region.reads.size();
    return total;
}

}  // namespace gridaudit::testing
