// generate_utility: output folder handling, master-data files, tariffs, truth.csv and the summary.
#include "generator/synthetic_utility.hpp"

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <system_error>

#include "generator/csv_sink.hpp"
#include "generator/series_simulation.hpp"
#include "generator/utility_plan.hpp"
#include "model/import_contract.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view truth_file = "truth.csv";
constexpr std::string_view truth_header = "subject_kind,subject_id,anomaly,start,end,magnitude,detail";

// The columns the writers below emit, in order. If the import contract changes, generation stops
// with an internal error instead of writing files the importer would reject.
struct ExpectedTable {
    std::string_view file;
    std::vector<std::string_view> columns;
};

const std::vector<ExpectedTable>& expected_tables() {
    static const std::vector<ExpectedTable> tables{
        {"org_units.csv", {"unit_id", "parent_id", "name", "kind"}},
        {"network.csv", {"node_id", "parent_id", "kind", "name", "unit_id", "rated_kva", "gateway_meter_id"}},
        {"staff.csv", {"staff_id", "name", "unit_id", "role"}},
        {"customers.csv",
         {"customer_id", "name", "unit_id", "node_id", "category", "industry", "voltage_kv", "contracted_kva",
          "tariff_id", "pf_standard", "status", "supply_start", "supply_end", "address"}},
        {"meters.csv",
         {"meter_id", "customer_id", "node_id", "model", "accuracy_class", "phases", "rated_current", "ct_ratio",
          "pt_ratio", "ct_class", "pt_class", "multiplier", "installed_on", "last_tested_on", "removed_on"}},
        {"register_reads.csv", {"meter_id", "read_on", "register", "value", "source", "reader_id"}},
        {"ami_daily.csv", {"meter_id", "day", "import_register", "export_register"}},
        {"ami_interval.csv", {"meter_id", "start", "minutes", "kwh", "flags"}},
        {"meter_events.csv", {"meter_id", "at", "code", "phase", "duration_s"}},
        {"bills.csv",
         {"bill_id", "customer_id", "period", "kwh_total", "kwh_peak", "kwh_flat", "kwh_valley", "kvarh", "demand_kw",
          "energy_charge", "basic_charge", "pf_adjustment", "surcharges", "total", "issued_on", "due_on",
          "fixed_charges", "other_charges", "other_charges_item", "payment_status"}},
        {"payments.csv",
         {"payment_id", "bill_id", "customer_id", "paid_on", "amount", "channel", "late_fee", "late_fee_waiver",
          "notice_id"}},
        {"collections.csv", {"day", "channel", "payments", "amount"}},
        {"work_orders.csv",
         {"order_id", "customer_id", "type", "segment", "accepted_at", "plan_at", "design_at", "checked_at",
          "connected_at", "closed_at", "staff_id", "old_value", "new_value"}},
    };
    return tables;
}

Result<std::string> contract_header(std::string_view file) {
    const TableSpec* table = find_table_by_file(file);
    if (!table) return internal_error(fmt::format("the import contract has no file {}", file));
    const auto expected = std::find_if(expected_tables().begin(), expected_tables().end(),
                                       [&](const ExpectedTable& t) { return t.file == file; });
    std::string header;
    for (std::size_t i = 0; i < table->columns.size(); ++i) {
        if (expected == expected_tables().end() || i >= expected->columns.size() ||
            expected->columns[i] != table->columns[i].name)
            return internal_error(fmt::format("the import contract's columns of {} changed; update the generator", file));
        if (i > 0) header += ',';
        header += table->columns[i].name;
    }
    if (expected->columns.size() != table->columns.size())
        return internal_error(fmt::format("the import contract's columns of {} changed; update the generator", file));
    return header;
}

Status open_sink(CsvSink& sink, const fs::path& folder, std::string_view file) {
    GA_ASSIGN_OR_RETURN(const std::string header, contract_header(file));
    return sink.open(folder / std::string(file), header);
}

std::vector<std::string> output_files() {
    std::vector<std::string> files;
    for (const auto& table : expected_tables()) files.emplace_back(table.file);
    files.emplace_back(truth_file);
    return files;
}

// Creates the folder, or clears an earlier generator output in it.
Status prepare_folder(const fs::path& folder) {
    std::error_code error;
    if (folder.empty()) return user_error("no output folder given");
    if (fs::exists(folder, error)) {
        if (!fs::is_directory(folder, error)) return user_error(fmt::format("{}: exists and is not a folder", folder.string()));
        const bool empty = fs::is_empty(folder, error);
        if (error) return external_error(fmt::format("{}: cannot read the folder: {}", folder.string(), error.message()));
        if (empty) return {};
        if (!fs::exists(folder / std::string(truth_file), error))
            return user_error(fmt::format(
                "{}: the folder is not empty and is not an earlier generator output (it has no truth.csv); "
                "choose a new or empty folder",
                folder.string()));
        for (const auto& file : output_files()) fs::remove(folder / file, error);
        const fs::path tariffs = folder / "tariffs";
        if (fs::is_directory(tariffs, error)) {
            std::vector<fs::path> stale;
            for (const auto& entry : fs::directory_iterator(tariffs, error))
                if (entry.path().extension() == ".json") stale.push_back(entry.path());
            for (const auto& path : stale) fs::remove(path, error);
        }
        return {};
    }
    fs::create_directories(folder, error);
    if (error) return external_error(fmt::format("{}: cannot create the folder: {}", folder.string(), error.message()));
    return {};
}

void optional_date(CsvSink& out, const std::optional<CivilDate>& date) {
    if (date) out.date(*date);
}

void optional_instant(CsvSink& out, const std::optional<Instant>& instant) {
    if (instant) out.text(instant->to_string(480));
    out.comma();
}

// Whole numbers without decimals, others with two ("0.22", "10", "315").
void plain_number(CsvSink& out, double value) {
    const auto rounded = static_cast<std::int64_t>(std::llround(value * 100));
    if (rounded % 100 == 0) out.integer(rounded / 100);
    else out.fixed(rounded, 2);
}

std::string_view node_kind_code(PlannedNodeKind kind) {
    switch (kind) {
        case PlannedNodeKind::substation: return "substation";
        case PlannedNodeKind::bus: return "bus";
        case PlannedNodeKind::feeder: return "feeder";
        case PlannedNodeKind::area: return "area";
    }
    return "area";
}

Status write_master_data(const UtilityPlan& plan, const fs::path& folder, std::vector<GeneratedFile>& files) {
    {
        CsvSink out;
        GA_TRY(open_sink(out, folder, "org_units.csv"));
        for (const auto& unit : plan.units) {
            out.field(unit.id);
            if (unit.parent >= 0) out.text(plan.units[static_cast<std::size_t>(unit.parent)].id);
            out.comma();
            out.field(unit.name);
            out.text(unit.kind);
            out.end_row();
        }
        GA_TRY(out.close());
        files.push_back({"org_units.csv", out.rows(), out.bytes()});
    }
    {
        CsvSink out;
        GA_TRY(open_sink(out, folder, "network.csv"));
        for (const auto& node : plan.nodes) {
            out.field(node.id);
            if (node.parent >= 0) out.text(plan.nodes[static_cast<std::size_t>(node.parent)].id);
            out.comma();
            out.field(node_kind_code(node.kind));
            out.field(node.name);
            out.field(plan.units[static_cast<std::size_t>(node.unit)].id);
            if (node.rated_kva > 0) plain_number(out, node.rated_kva);
            out.comma();
            out.text(plan.meters[static_cast<std::size_t>(node.gateway_meter)].id);
            out.end_row();
        }
        GA_TRY(out.close());
        files.push_back({"network.csv", out.rows(), out.bytes()});
    }
    {
        CsvSink out;
        GA_TRY(open_sink(out, folder, "staff.csv"));
        for (const auto& member : plan.staff) {
            out.field(member.id);
            out.field(member.name);
            out.field(plan.units[static_cast<std::size_t>(member.unit)].id);
            out.text(member.role);
            out.end_row();
        }
        GA_TRY(out.close());
        files.push_back({"staff.csv", out.rows(), out.bytes()});
    }
    {
        CsvSink out;
        GA_TRY(open_sink(out, folder, "customers.csv"));
        for (const auto& c : plan.customers) {
            out.field(c.id);
            out.field(c.name);
            out.field(plan.units[static_cast<std::size_t>(c.unit)].id);
            out.field(plan.nodes[static_cast<std::size_t>(c.node)].id);
            out.field(load_category_code(c.category));
            out.field(c.industry);
            plain_number(out, c.voltage_kv);
            out.comma();
            plain_number(out, c.contracted_kva);
            out.comma();
            out.field(synthetic_tariff(c.tariff).id);
            if (c.pf_standard > 0) out.fixed(c.pf_standard, 2);
            out.comma();
            out.field(c.status);
            out.date(c.supply_start);
            out.comma();
            optional_date(out, c.supply_end);
            out.comma();
            out.text(c.address);  // no commas or quotes (master_anomaly_plan.cpp)
            out.end_row();
        }
        GA_TRY(out.close());
        files.push_back({"customers.csv", out.rows(), out.bytes()});
    }
    {
        CsvSink out;
        GA_TRY(open_sink(out, folder, "meters.csv"));
        std::vector<std::size_t> order(plan.meters.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](std::size_t a, std::size_t b) { return plan.meters[a].id < plan.meters[b].id; });
        for (std::size_t i : order) {
            const PlannedMeter& m = plan.meters[i];
            out.field(m.id);
            if (m.customer >= 0) out.text(plan.customers[static_cast<std::size_t>(m.customer)].id);
            out.comma();
            if (m.node >= 0) out.text(plan.nodes[static_cast<std::size_t>(m.node)].id);
            out.comma();
            out.field(m.model);
            out.field(m.accuracy_class);
            out.integer(m.phases);
            out.comma();
            out.field(m.rated_current);
            out.field(m.ct_ratio_text());
            out.field(m.pt_ratio_text());
            out.field(m.ct_class);
            out.field(m.pt_class);
            out.integer(m.recorded_multiplier);
            out.comma();
            out.date(m.installed_on);
            out.comma();
            optional_date(out, m.last_tested_on);
            out.comma();
            optional_date(out, m.removed_on);
            out.end_row();
        }
        GA_TRY(out.close());
        files.push_back({"meters.csv", out.rows(), out.bytes()});
    }
    return {};
}

Status write_work_orders(const UtilityPlan& plan, const fs::path& folder, std::vector<GeneratedFile>& files) {
    CsvSink out;
    GA_TRY(open_sink(out, folder, "work_orders.csv"));
    for (const auto& o : plan.work_orders) {
        out.field(o.id);
        if (o.customer >= 0) out.text(plan.customers[static_cast<std::size_t>(o.customer)].id);
        out.comma();
        out.field(o.type);
        out.field(o.segment);
        optional_instant(out, o.accepted_at);
        optional_instant(out, o.plan_at);
        optional_instant(out, o.design_at);
        optional_instant(out, o.checked_at);
        optional_instant(out, o.connected_at);
        optional_instant(out, o.closed_at);
        if (o.staff >= 0) out.text(plan.staff[static_cast<std::size_t>(o.staff)].id);
        out.comma();
        out.field(o.old_value);
        out.text(o.new_value);
        out.end_row();
    }
    GA_TRY(out.close());
    files.push_back({"work_orders.csv", out.rows(), out.bytes()});
    return {};
}

Status write_tariffs(const UtilityPlan& plan, const fs::path& folder, std::vector<GeneratedFile>& files) {
    std::error_code error;
    fs::create_directories(folder / "tariffs", error);
    if (error) return external_error(fmt::format("{}: cannot create the folder: {}", (folder / "tariffs").string(), error.message()));
    for (int code = 0; code < tariff_code_count; ++code) {
        if (!plan.tariff_used[static_cast<std::size_t>(code)]) continue;
        const SyntheticTariff& tariff = synthetic_tariff(static_cast<TariffCode>(code));
        const std::string name = fmt::format("tariffs/{}.json", tariff.id);
        const std::string text = synthetic_tariff_json(tariff);
        const fs::path path = folder / name;
        std::FILE* file = std::fopen(path.c_str(), "wb");
        if (!file) return external_error(fmt::format("{}: cannot create file", path.string()));
        const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
        if (std::fclose(file) != 0 || !written) return external_error(fmt::format("{}: write failed", path.string()));
        files.push_back({name, 1, text.size()});
    }
    return {};
}

int anomaly_rank(std::string_view anomaly) {
    const auto& kinds = synthetic_anomaly_kinds();
    return static_cast<int>(std::find(kinds.begin(), kinds.end(), anomaly) - kinds.begin());
}

Status write_truth(const UtilityPlan& plan, const fs::path& folder, std::vector<GeneratedFile>& files) {
    CsvSink out;
    GA_TRY(out.open(folder / std::string(truth_file), truth_header));
    std::vector<std::size_t> order(plan.truth.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::erase_if(order, [&](std::size_t i) { return plan.truth[i].withdrawn; });
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const TruthRow& x = plan.truth[a];
        const TruthRow& y = plan.truth[b];
        const int rx = anomaly_rank(x.anomaly);
        const int ry = anomaly_rank(y.anomaly);
        return std::tie(rx, x.subject_id, x.start) < std::tie(ry, y.subject_id, y.start);
    });
    for (std::size_t i : order) {
        const TruthRow& row = plan.truth[i];
        out.field(row.subject_kind);
        out.field(row.subject_id);
        out.field(row.anomaly);
        out.date(row.start);
        out.comma();
        optional_date(out, row.end);
        out.comma();
        out.decimal(row.magnitude, 4);
        out.comma();
        out.text(row.detail);
        out.end_row();
    }
    GA_TRY(out.close());
    files.push_back({std::string(truth_file), out.rows(), out.bytes()});
    return {};
}

std::size_t file_rank(const std::string& file) {
    const auto& tables = expected_tables();
    for (std::size_t i = 0; i < tables.size(); ++i)
        if (tables[i].file == file) return i;
    return file == truth_file ? tables.size() + 1 : tables.size();  // tariffs between the CSVs and truth
}

}  // namespace

const std::vector<std::string>& synthetic_anomaly_kinds() {
    static const std::vector<std::string> kinds{
        "theft_bypass",          "meter_stopped",        "meter_reversed",   "wrong_multiplier_customer",
        "wrong_multiplier_gateway", "wrong_area",         "wrong_tariff_category", "estimated_read",
        "missed_read",           "wrong_read",           "meter_past_rotation",   "accuracy_class_low",
        "work_order_overdue",    "complaint_overdue",    "pf_standard_wrong",    "bill_recompute_mismatch", "bill_energy_vs_reads",
        "unlisted_charge",       "zero_with_capacity",   "account_paid_without_payment",
        "account_payment_without_bill", "account_late_fee_missing", "account_late_fee_under_charged",
        "account_late_fee_over_charged", "account_collection_mismatch",
        "temporary_expired", "ticket_out_of_sequence", "change_not_applied", "suspension_consuming",
        "category_at_acceptance", "transfer_supply", "demand_above_contract", "duplicate_customer", "missing_link",
        "register_rollover",
        "meter_test_overdue", "prohibited_model", "metering_class_by_load", "ct_sizing",
        "multiplier_changed_unordered", "meter_after_supply_end",
        "area_loss_high", "area_loss_negative", "feeder_loss_high", "feeder_loss_negative", "bus_unbalance"};
    return kinds;
}

Result<GenerationSummary> generate_utility(const GeneratorOptions& options) {
    ProgressObserver& progress = *options.progress;
    progress.stage("planning the utility", "", 0);
    GA_ASSIGN_OR_RETURN(UtilityPlan plan, plan_utility(options));
    GA_TRY(prepare_folder(options.out));
    const fs::path& folder = options.out;
    std::vector<GeneratedFile> files;
    {
        // A truth.csv first marks the folder as generator output, so an interrupted run can be redone.
        CsvSink marker;
        GA_TRY(marker.open(folder / std::string(truth_file), truth_header));
        GA_TRY(marker.close());
    }
    progress.stage("writing master data", "", 0);
    GA_TRY(write_master_data(plan, folder, files));

    SeriesSinks sinks;
    GA_TRY(open_sink(sinks.register_reads, folder, "register_reads.csv"));
    GA_TRY(open_sink(sinks.ami_daily, folder, "ami_daily.csv"));
    GA_TRY(open_sink(sinks.ami_interval, folder, "ami_interval.csv"));
    GA_TRY(open_sink(sinks.meter_events, folder, "meter_events.csv"));
    GA_TRY(open_sink(sinks.bills, folder, "bills.csv"));
    GA_TRY(open_sink(sinks.payments, folder, "payments.csv"));
    GA_TRY(open_sink(sinks.collections, folder, "collections.csv"));
    GA_TRY(simulate_series(plan, sinks, progress));
    for (CsvSink* sink : {&sinks.register_reads, &sinks.ami_daily, &sinks.ami_interval, &sinks.meter_events,
                          &sinks.bills, &sinks.payments, &sinks.collections}) {
        GA_TRY(sink->close());
        files.push_back({sink->path().filename().string(), sink->rows(), sink->bytes()});
    }
    progress.stage("writing work orders, tariffs and truth.csv", "", 0);
    GA_TRY(write_work_orders(plan, folder, files));
    GA_TRY(write_tariffs(plan, folder, files));
    GA_TRY(write_truth(plan, folder, files));

    std::stable_sort(files.begin(), files.end(),
                     [](const GeneratedFile& a, const GeneratedFile& b) { return file_rank(a.file) < file_rank(b.file); });
    GenerationSummary summary;
    summary.first_day = plan.first_day;
    summary.last_day = plan.last_day;
    summary.customers = plan.customers.size();
    summary.meters = plan.meters.size();
    for (const auto& node : plan.nodes)
        if (node.kind == PlannedNodeKind::area) ++summary.areas;
    for (const auto& kind : synthetic_anomaly_kinds()) {
        const auto count = static_cast<std::uint64_t>(
            std::count_if(plan.truth.begin(), plan.truth.end(),
                          [&](const TruthRow& row) { return row.anomaly == kind && !row.withdrawn; }));
        summary.anomalies.push_back({kind, count});
    }
    for (const auto& file : files) summary.total_bytes += file.bytes;
    summary.files = std::move(files);
    return summary;
}

}  // namespace gridaudit
