// The import contract's content: files, columns, types, units, codes and references.
#include "model/import_contract.hpp"

#include <charconv>
#include <fmt/format.h>

namespace gridaudit {
namespace {

using T = ColumnType;

ColumnSpec col(std::string_view name, ColumnType type, bool required, std::string_view unit,
               std::string_view description, std::string_view example) {
    ColumnSpec spec;
    spec.name = name;
    spec.type = type;
    spec.required = required;
    spec.unit = unit;
    spec.description = description;
    spec.example = example;
    return spec;
}
ColumnSpec with_codes(ColumnSpec spec, std::vector<std::string_view> codes) {
    spec.codes = std::move(codes);
    return spec;
}
ColumnSpec with_range(ColumnSpec spec, std::optional<double> minimum, std::optional<double> maximum) {
    spec.minimum = minimum;
    spec.maximum = maximum;
    return spec;
}
ColumnSpec with_reference(ColumnSpec spec, std::string_view references) {
    spec.references = references;
    return spec;
}

std::vector<TableSpec> build_contract() {
    std::vector<TableSpec> tables;

    tables.push_back(TableSpec{
        "org_units.csv", "org_units", "organisational unit: company, county company, station or team", false,
        StorageKind::rows,
        {
            col("unit_id", T::text, true, "", "Unit identifier, unique.", "U0101"),
            with_reference(col("parent_id", T::text, false, "", "Parent unit; empty for the top company.", "U01"),
                           "org_units.unit_id"),
            col("name", T::text, true, "", "Unit name.", "Anji County Company"),
            with_codes(col("kind", T::code, true, "", "Level of the unit.", "station"),
                       {"company", "county", "station", "team"}),
        },
        {"unit_id"},
        "Parents must not form a cycle.",
    });

    tables.push_back(TableSpec{
        "network.csv", "network", "network node: substation, bus, feeder or transformer area (台区)", true,
        StorageKind::rows,
        {
            col("node_id", T::text, true, "", "Node identifier, unique.", "A000123"),
            with_reference(col("parent_id", T::text, false, "",
                               "Upstream node; required for every kind but substation.", "F0012"),
                           "network.node_id"),
            with_codes(col("kind", T::code, true, "", "Node kind.", "area"), {"substation", "bus", "feeder", "area"}),
            col("name", T::text, true, "", "Node name.", "Xiaoxi No.2 area"),
            with_reference(col("unit_id", T::text, false, "", "Org unit responsible for the node.", "U010101"),
                           "org_units.unit_id"),
            with_range(col("rated_kva", T::decimal, false, "kVA",
                           "Rated capacity (distribution transformer of an area, main transformer of a substation).",
                           "400"),
                       0.0, 10'000'000.0),
            with_reference(col("gateway_meter_id", T::text, false, "",
                               "Gateway (关口) meter measuring the node's supply; must be a meter of meters.csv "
                               "installed on this node.",
                               "M9000123"),
                           "meters.meter_id"),
        },
        {"node_id"},
        "A substation has no parent; every other node has one, of the kind above it (bus under substation, "
        "feeder under bus, area under feeder). Parents must not form a cycle.",
    });

    tables.push_back(TableSpec{
        "staff.csv", "staff", "employee", false, StorageKind::rows,
        {
            col("staff_id", T::text, true, "", "Employee identifier, unique.", "S0042"),
            col("name", T::text, true, "", "Employee name.", "Wang Fang"),
            with_reference(col("unit_id", T::text, false, "", "Org unit the employee belongs to.", "U010101"),
                           "org_units.unit_id"),
            with_codes(col("role", T::code, true, "", "Main role.", "reader"),
                       {"reader", "inspector", "analyst", "supervisor", "installer", "administrator"}),
        },
        {"staff_id"},
        "",
    });

    tables.push_back(TableSpec{
        "customers.csv", "customers", "customer account (用电户)", true, StorageKind::rows,
        {
            col("customer_id", T::text, true, "", "Customer account number, unique.", "C00012345"),
            col("name", T::text, true, "", "Account holder.", "Li Ming"),
            with_reference(col("unit_id", T::text, false, "", "Org unit serving the customer.", "U010101"),
                           "org_units.unit_id"),
            with_reference(col("node_id", T::text, true, "",
                               "Network node supplying the customer: its transformer area, or a feeder for "
                               "high-voltage customers.",
                               "A000123"),
                           "network.node_id"),
            with_codes(col("category", T::code, true, "",
                           "Electricity-use category (用电类别): residential (居民生活), commercial (一般工商业), "
                           "industrial (一般工业), large_industrial (大工业, two-part tariff), agricultural "
                           "(农业生产), temporary (临时用电).",
                           "residential"),
                       {"residential", "commercial", "industrial", "large_industrial", "agricultural", "temporary"}),
            col("industry", T::text, false, "", "Industry code or name (行业分类).", "C13"),
            with_range(col("voltage_kv", T::decimal, true, "kV", "Supply voltage.", "0.22"), 0.1, 1000.0),
            with_range(col("contracted_kva", T::decimal, true, "kVA", "Contracted (operating) capacity.", "8"), 0.0,
                       10'000'000.0),
            col("tariff_id", T::text, true, "", "Tariff applied in billing (a tariffs/*.json id).", "RES-TIER"),
            with_range(col("pf_standard", T::decimal, false, "",
                           "Power-factor adjustment standard (功率因数考核标准): 0.90, 0.85 or 0.80; empty when "
                           "none applies.",
                           "0.90"),
                       0.5, 1.0),
            with_codes(col("status", T::code, true, "", "Account status.", "active"),
                       {"active", "suspended", "closed"}),
            col("supply_start", T::date, true, "", "First day of supply.", "2019-04-01"),
            col("supply_end", T::date, false, "",
                "Last day of supply: the planned end for temporary supply, the closing day otherwise.",
                "2026-12-31"),
            col("address", T::text, false, "",
                "Supply address (用电地址) as written in the account; compared, normalised, to find duplicate "
                "accounts (MASTER-DUPLICATE-CUSTOMER).",
                "Anji, Dipu Road 12, unit 3"),
        },
        {"customer_id"},
        "supply_end, when given, is not before supply_start. A temporary customer has a supply_end.",
    });

    tables.push_back(TableSpec{
        "meters.csv", "meters", "installed meter (电能表), billing or gateway", true, StorageKind::rows,
        {
            col("meter_id", T::text, true, "", "Meter asset number, unique.", "M00012345"),
            with_reference(col("customer_id", T::text, false, "", "Customer the meter bills; empty for gateway meters.",
                               "C00012345"),
                           "customers.customer_id"),
            with_reference(col("node_id", T::text, false, "", "Network node of a gateway meter; empty for customer meters.",
                               ""),
                           "network.node_id"),
            col("model", T::text, true, "", "Manufacturer model designation.", "DDZY71"),
            with_codes(col("accuracy_class", T::code, true, "", "Active-energy accuracy class.", "2.0"),
                       {"0.2S", "0.5S", "0.2", "0.5", "1.0", "2.0", "3.0"}),
            with_codes(col("phases", T::integer, true, "", "1 (single-phase) or 3 (three-phase).", "1"), {"1", "3"}),
            with_range(col("rated_current", T::decimal, true, "A", "Basic (rated) current Ib.", "5"), 0.0, 100'000.0),
            col("ct_ratio", T::ratio, true, "", "Current-transformer ratio, '1' when direct-connected.", "200/5"),
            col("pt_ratio", T::ratio, true, "", "Voltage-transformer ratio, '1' when none.", "10000/100"),
            with_codes(col("ct_class", T::code, false, "", "CT accuracy class; empty when direct-connected.", "0.5S"),
                       {"0.2S", "0.2", "0.5S", "0.5", "1.0"}),
            with_codes(col("pt_class", T::code, false, "", "PT accuracy class; empty when none.", "0.2"),
                       {"0.2", "0.5", "1.0"}),
            with_range(col("multiplier", T::decimal, true, "",
                           "Billing multiplier (倍率) applied to register deltas; should equal CT x PT ratio.", "40"),
                       0.0, 10'000'000.0),
            col("installed_on", T::date, true, "", "Installation (commissioning) day.", "2018-06-15"),
            col("last_tested_on", T::date, false, "", "Last on-site or laboratory test.", "2025-03-02"),
            col("removed_on", T::date, false, "", "Removal day; empty while installed.", ""),
        },
        {"meter_id"},
        "Exactly one of customer_id and node_id is given. ct_ratio x pt_ratio differing from multiplier is "
        "a finding (METER-MULTIPLIER-MISMATCH), not an import error. removed_on and last_tested_on, when given, "
        "are not before installed_on.",
    });

    tables.push_back(TableSpec{
        "register_reads.csv", "register_reads", "billing read of one register (抄表示数)", false, StorageKind::rows,
        {
            with_reference(col("meter_id", T::text, true, "", "Meter read.", "M00012345"), "meters.meter_id"),
            col("read_on", T::date, true, "", "Day of the read.", "2026-10-31"),
            with_codes(col("register", T::code, true, "",
                           "Register: total, peak, flat, valley (kWh), reactive (kvarh), demand (kW, maximum demand).",
                           "total"),
                       {"total", "peak", "flat", "valley", "reactive", "demand"}),
            with_range(col("value", T::decimal, true, "kWh|kvarh|kW", "Register value as displayed (before multiplier).",
                           "12345.67"),
                       0.0, 1e12),
            with_codes(col("source", T::code, true, "", "How the value was obtained.", "ami"),
                       {"manual", "ami", "estimated"}),
            with_reference(col("reader_id", T::text, false, "", "Meter reader responsible (抄表员).", "S0042"),
                           "staff.staff_id"),
        },
        {"meter_id", "read_on", "register"},
        "",
    });

    tables.push_back(TableSpec{
        "ami_daily.csv", "ami_daily", "daily frozen register values of one meter (日冻结)", false,
        StorageKind::daily_series,
        {
            with_reference(col("meter_id", T::text, true, "", "Meter.", "M00012345"), "meters.meter_id"),
            col("day", T::date, true, "", "Day whose midnight freeze the values are.", "2026-10-31"),
            with_range(col("import_register", T::decimal, false, "kWh",
                           "Forward active energy register (before multiplier); empty when not collected.", "5230.41"),
                       0.0, 1e12),
            with_range(col("export_register", T::decimal, false, "kWh",
                           "Reverse active energy register (before multiplier); empty when not collected.", "0"),
                       0.0, 1e12),
        },
        {"meter_id", "day"},
        "",
    });

    tables.push_back(TableSpec{
        "ami_interval.csv", "ami_interval", "load-profile interval of one meter (负荷曲线)", false,
        StorageKind::interval_series,
        {
            with_reference(col("meter_id", T::text, true, "", "Meter.", "M9000123"), "meters.meter_id"),
            col("start", T::instant, true, "", "Start of the interval, with UTC offset.", "2026-10-31T00:15:00+08:00"),
            with_codes(col("minutes", T::integer, true, "min", "Interval length.", "15"), {"5", "15", "30", "60"}),
            with_range(col("kwh", T::decimal, false, "kWh",
                           "Active energy in the interval (before multiplier); empty when missing.", "1.25"),
                       -1e9, 1e9),
            with_codes(col("flags", T::flags, false, "", "Quality flags, '|'-separated.", "estimated"),
                       {"estimated", "power_out", "clock_adjusted", "overflow", "partial", "tamper"}),
        },
        {"meter_id", "start"},
        "start lies on the interval grid (a multiple of `minutes` from midnight UTC).",
    });

    tables.push_back(TableSpec{
        "meter_events.csv", "meter_events", "meter or terminal event (事件记录)", false, StorageKind::rows,
        {
            with_reference(col("meter_id", T::text, true, "", "Meter reporting the event.", "M00012345"),
                           "meters.meter_id"),
            col("at", T::instant, true, "", "When the event started.", "2026-10-03T02:11:09+08:00"),
            with_codes(col("code", T::code, true, "", "Event code.", "cover_open"),
                       {"cover_open", "terminal_cover_open", "magnetic_field", "voltage_loss", "current_loss",
                        "phase_break", "reverse_current", "current_imbalance", "power_off", "power_on",
                        "clock_drift", "reading_decreased", "meter_stopped", "meter_fast", "energy_out_of_tolerance"}),
            with_codes(col("phase", T::code, false, "", "Phase concerned, empty when not phase-specific.", "A"),
                       {"A", "B", "C"}),
            with_range(col("duration_s", T::integer, false, "s", "Duration; empty when the event is instantaneous.",
                           "3600"),
                       0.0, 1e10),
        },
        {"meter_id", "at", "code"},
        "",
    });

    tables.push_back(TableSpec{
        "bills.csv", "bills", "monthly bill (电费账单)", false, StorageKind::rows,
        {
            col("bill_id", T::text, true, "", "Bill number, unique.", "B2026100012345"),
            with_reference(col("customer_id", T::text, true, "", "Customer billed.", "C00012345"),
                           "customers.customer_id"),
            col("period", T::period, true, "", "Billing month.", "2026-10"),
            with_range(col("kwh_total", T::decimal, true, "kWh", "Billed active energy (after multiplier).", "231"),
                       -1e12, 1e12),
            with_range(col("kwh_peak", T::decimal, false, "kWh", "Billed peak energy.", "80"), -1e12, 1e12),
            with_range(col("kwh_flat", T::decimal, false, "kWh", "Billed flat energy.", "90"), -1e12, 1e12),
            with_range(col("kwh_valley", T::decimal, false, "kWh", "Billed valley energy.", "61"), -1e12, 1e12),
            with_range(col("kvarh", T::decimal, false, "kvarh", "Billed reactive energy.", "120"), -1e12, 1e12),
            with_range(col("demand_kw", T::decimal, false, "kW", "Billed maximum demand.", ""), 0.0, 1e9),
            col("energy_charge", T::money, true, "currency", "Energy charge (电度电费).", "130.58"),
            col("basic_charge", T::money, false, "currency", "Basic (capacity or demand) charge (基本电费).", "0"),
            col("pf_adjustment", T::money, false, "currency",
                "Power-factor adjustment (力调电费): negative a rebate, positive a surcharge.", "0"),
            col("surcharges", T::money, false, "currency", "Government funds and surcharges (代征基金及附加).", "0"),
            col("total", T::money, true, "currency", "Amount billed.", "130.58"),
            col("issued_on", T::date, true, "", "Day the bill was issued.", "2026-11-03"),
            col("due_on", T::date, false, "", "Payment due day; late-payment charges accrue after it.", "2026-11-20"),
            col("fixed_charges", T::money, false, "currency",
                "Fixed and minimum charges the tariff defines (固定/最低电费).", "0"),
            col("other_charges", T::money, false, "currency",
                "Any other amount on the bill, outside the tariff's components (其他费用).", ""),
            col("other_charges_item", T::text, false, "", "What other_charges is for, as printed on the bill.", ""),
            with_codes(col("payment_status", T::code, false, "",
                           "Settlement state in the billing system (缴费状态): unpaid, partial or paid.", "paid"),
                       {"unpaid", "partial", "paid"}),
        },
        {"bill_id"},
        "One bill per customer and period (a corrected bill replaces the earlier one under the same bill_id). "
        "total is the sum of the charge columns.",
    });

    tables.push_back(TableSpec{
        "payments.csv", "payments", "payment of a bill (缴费)", false, StorageKind::rows,
        {
            col("payment_id", T::text, true, "", "Payment number, unique.", "P000998877"),
            with_reference(col("bill_id", T::text, false, "",
                               "Bill paid; empty for a payment not allocated to any bill (预收/待核销).",
                               "B2026100012345"),
                           "bills.bill_id"),
            with_reference(col("customer_id", T::text, false, "", "Customer who paid (the bill's customer).",
                               "C00012345"),
                           "customers.customer_id"),
            col("paid_on", T::date, true, "", "Day of payment.", "2026-11-12"),
            col("amount", T::money, true, "currency", "Amount paid towards the bill, late-payment charge excluded.",
                "130.58"),
            with_codes(col("channel", T::code, true, "", "Payment channel.", "online"),
                       {"counter", "bank", "online", "agent", "autopay"}),
            col("late_fee", T::money, false, "currency",
                "Late-payment charge (电费违约金) collected with this payment.", "0"),
            col("late_fee_waiver", T::text, false, "",
                "Approval number (减免审批单号) when the late-payment charge was waived or reduced.", ""),
            col("notice_id", T::text, false, "",
                "Back-billing notice number (追补电费通知单号) the payment pays, as a case's approval assigned it; "
                "`gridaudit cases payments` records it against the case. Leave bill_id empty for such a payment.",
                "BB-2026-000012"),
        },
        {"payment_id"},
        "A payment names its bill, its customer, or both.",
    });

    tables.push_back(TableSpec{
        "collections.csv", "collections", "daily collection total of one channel (日实收汇总)", false,
        StorageKind::rows,
        {
            col("day", T::date, true, "", "Day collected.", "2026-11-12"),
            with_codes(col("channel", T::code, true, "", "Payment channel.", "online"),
                       {"counter", "bank", "online", "agent", "autopay"}),
            with_range(col("payments", T::integer, true, "", "Number of payments the total covers.", "1523"), 0.0,
                       1e12),
            col("amount", T::money, true, "currency",
                "Amount collected that day on the channel, late-payment charges included (解款金额).", "198234.50"),
        },
        {"day", "channel"},
        "Should equal the sum of that day's payments on the channel (amount plus late_fee).",
    });

    tables.push_back(TableSpec{
        "work_orders.csv", "work_orders", "service work order (业扩/变更工单) and its step times", false,
        StorageKind::rows,
        {
            col("order_id", T::text, true, "", "Work-order number, unique.", "W202610001"),
            with_reference(col("customer_id", T::text, false, "", "Customer concerned; empty before an account exists.",
                               "C00012345"),
                           "customers.customer_id"),
            with_codes(col("type", T::code, true, "", "Business type.", "new_connection"),
                       {"new_connection", "capacity_increase", "capacity_decrease", "suspension", "resumption",
                        "category_change", "meter_change", "temporary_supply", "closure", "complaint"}),
            with_codes(col("segment", T::code, true, "",
                           "Time-limit segment: residential, low-voltage non-residential, high-voltage single or "
                           "dual source.",
                           "residential"),
                       {"residential", "lv_nonresidential", "hv_single", "hv_dual"}),
            col("accepted_at", T::instant, true, "", "Application accepted (受理).", "2026-10-08T09:30:00+08:00"),
            col("plan_at", T::instant, false, "", "Supply plan answered (答复供电方案).", ""),
            col("design_at", T::instant, false, "", "Design review done (设计审查).", ""),
            col("checked_at", T::instant, false, "", "Completion check done (竣工检验).", ""),
            col("connected_at", T::instant, false, "", "Connected (装表接电).", "2026-10-10T15:00:00+08:00"),
            col("closed_at", T::instant, false, "", "Order closed (归档); empty while open.", "2026-10-11T10:00:00+08:00"),
            with_reference(col("staff_id", T::text, false, "", "Employee handling the order.", "S0007"),
                           "staff.staff_id"),
            col("old_value", T::text, false, "",
                "Value before the change: capacity in kVA (capacity_increase, capacity_decrease), category code "
                "(category_change), account status (suspension, resumption, closure), the meter_id removed "
                "(meter_change); empty for other types.",
                "80"),
            col("new_value", T::text, false, "",
                "Value after the change, written like old_value (the meter_id installed for meter_change); "
                "PROC-CHANGE-NOT-APPLIED checks that the master data and the next bills show it.",
                "100"),
        },
        {"order_id"},
        "Step times, when given, are not before accepted_at.",
    });

    tables.push_back(TableSpec{
        "tariffs/*.json", "tariffs", "tariff, one JSON document per file", false, StorageKind::json_documents,
        {
            col("id", T::text, true, "",
                "Tariff id referenced by customers.tariff_id, or a calendar id referenced by tariffs (a member of "
                "the JSON object).",
                "RES-TIER"),
            col("effective_from", T::date, false, "",
                "First day a version of the tariff is in force (a member of the JSON object); versions of one id "
                "differ in it.",
                "2026-01-01"),
        },
        {"id", "effective_from"},
        "Each file holds one JSON object with a string member `id`: a tariff, or a holiday calendar shared by "
        "tariffs; the format is documented in docs/tariffs.md. Import reads every file with the tariff engine's "
        "own loader, so a document the engine refuses (a negative price, a member given twice, nesting deeper than "
        "64 levels, control characters in a string...) is rejected with its file:line:column; it also checks that "
        "no other file gives the same id and effective_from, that calendar references resolve and that no two "
        "versions of a tariff are in force on one day (with the store's documents), and stores an accepted file "
        "verbatim. A file is at most 16 MiB.",
    });

    return tables;
}

// Markdown table cells cannot hold a bare '|'.
std::string escape_table_cell(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

std::string_view column_type_name(ColumnType type) {
    switch (type) {
        case T::text: return "text";
        case T::code: return "code";
        case T::integer: return "integer";
        case T::decimal: return "decimal";
        case T::money: return "money";
        case T::date: return "date";
        case T::period: return "period";
        case T::instant: return "instant";
        case T::ratio: return "ratio";
        case T::flags: return "flags";
    }
    return "?";
}

const ColumnSpec* TableSpec::column(std::string_view name) const {
    for (const auto& c : columns)
        if (c.name == name) return &c;
    return nullptr;
}

int TableSpec::column_index(std::string_view name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i].name == name) return static_cast<int>(i);
    return -1;
}

const std::vector<TableSpec>& import_contract() {
    static const std::vector<TableSpec> contract = build_contract();
    return contract;
}

const TableSpec* find_table_by_file(std::string_view file) {
    for (const auto& t : import_contract())
        if (t.file == file) return &t;
    return nullptr;
}

const TableSpec* find_table(std::string_view table) {
    for (const auto& t : import_contract())
        if (t.table == table) return &t;
    return nullptr;
}

double ratio_value(std::string_view text) {
    const auto slash = text.find('/');
    double primary = 0, secondary = 1;
    const auto head = text.substr(0, slash);
    std::from_chars(head.data(), head.data() + head.size(), primary);
    if (slash != std::string_view::npos) {
        const auto tail = text.substr(slash + 1);
        std::from_chars(tail.data(), tail.data() + tail.size(), secondary);
    }
    return secondary == 0 ? 0 : primary / secondary;
}

std::string import_contract_markdown() {
    std::string out;
    out += "# Import format\n\n"
           "<!-- Generated by `gridaudit formats --markdown` from src/model/import_contract.cpp; do not edit. -->\n\n"
           "An export is a folder of UTF-8 CSV files (RFC 4180: fields may be quoted with `\"`, a quote inside a "
           "quoted field is doubled, quoted fields may hold commas and line breaks; lines end in LF or CRLF; a "
           "UTF-8 byte-order mark is ignored). The first line is a header naming the columns, in any order. "
           "Unknown columns are an error unless their name starts with `x_` (kept aside, not imported). "
           "Empty fields are missing values; a required column must not be empty. A header line is at most 64 KiB, "
           "any other line 1 MiB and a field 64 KiB: a longer line makes the file unusable (the rest is not read), a "
           "longer field rejects its row.\n\n"
           "Types:\n\n"
           "| type | written as |\n| --- | --- |\n"
           "| text | UTF-8 text without control characters: no tab, line break, escape, NUL, DEL or other C0 or "
           "C1 character (U+0000..U+001F, U+007F..U+009F); such a value rejects its row |\n"
           "| code | one of the listed codes, exactly (case-sensitive) |\n"
           "| integer | `-12`, `3600` |\n"
           "| decimal | `12.5`, `-0.25`, `1000`: `.` as decimal point, no exponent, no thousands separator |\n"
           "| money | a decimal with at most 4 places; stored as a whole number of 0.0001 currency units |\n"
           "| date | `2026-10-31` |\n"
           "| period | `2026-10` |\n"
           "| instant | `2026-10-31T00:15:00+08:00` or `...Z`; seconds optional; the offset is required |\n"
           "| ratio | `200/5` (primary/secondary), `10000/100`, or `1` when there is no transformer |\n"
           "| flags | codes separated by `\\|`, e.g. `estimated\\|power_out`; may be empty |\n\n"
           "Every problem is reported as `file:line:column: column_name: what is wrong (value)` (see docs/import.md). "
           "`customers.csv`, `meters.csv` and `network.csv` must be present in the first import into an empty "
           "store; later exports may hold only what changed or was added. Every other file is optional. "
           "References may point to rows in the same batch or already in the store.\n\n";
    for (const auto& table : import_contract()) {
        out += fmt::format("## `{}`\n\nOne row per {}. {}. Key: `{}`.\n\n", table.file, table.one_row_per,
                           table.required_file ? "Required" : "Optional", fmt::join(table.key, "`, `"));
        if (!table.notes.empty()) out += fmt::format("{}\n\n", table.notes);
        out += "| column | type | required | unit | allowed values | description | example |\n"
               "| --- | --- | --- | --- | --- | --- | --- |\n";
        for (const auto& c : table.columns) {
            std::string allowed;
            if (!c.codes.empty()) allowed = fmt::format("`{}`", fmt::join(c.codes, "`, `"));
            if (c.minimum || c.maximum) {
                if (!allowed.empty()) allowed += "; ";
                allowed += fmt::format("{} .. {}", c.minimum ? fmt::format("{:g}", *c.minimum) : "",
                                       c.maximum ? fmt::format("{:g}", *c.maximum) : "");
            }
            if (!c.references.empty()) {
                if (!allowed.empty()) allowed += "; ";
                allowed += fmt::format("an existing `{}`", c.references);
            }
            std::string unit(c.unit);
            for (auto& ch : unit)
                if (ch == '|') ch = '/';
            const std::string example = escape_table_cell(c.example);
            out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n", c.name, column_type_name(c.type),
                               c.required ? "yes" : "no", unit, allowed, escape_table_cell(c.description),
                               example.empty() ? "" : fmt::format("`{}`", example));
        }
        out += "\n";
    }
    return out;
}

}  // namespace gridaudit
