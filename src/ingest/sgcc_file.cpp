// Parsing the SGCC theft-data layout and turning it into export files (sgcc_file.hpp).
#include "ingest/sgcc_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <set>

#include "core/money_text.hpp"
#include "ingest/field_parser.hpp"
#include "ingest/import_folder.hpp"
#include "ingest/theft_truth.hpp"
#include "text/csv_reader.hpp"
#include "text/printable_text.hpp"

namespace gridaudit {

namespace {

// `YYYY/M/D` (month and day of one or two digits) or `YYYY-MM-DD`.
std::optional<CivilDate> parse_sgcc_date(std::string_view text) {
    if (text.find('-') != std::string_view::npos) return CivilDate::parse(text);
    const auto number = [&](std::size_t& at, std::size_t min_digits, std::size_t max_digits) -> std::optional<int> {
        std::size_t digits = 0;
        int value = 0;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9' && digits < max_digits) {
            value = value * 10 + (text[at] - '0');
            ++at;
            ++digits;
        }
        if (digits < min_digits) return std::nullopt;
        return value;
    };
    std::size_t at = 0;
    const auto year = number(at, 4, 4);
    if (!year || at >= text.size() || text[at++] != '/') return std::nullopt;
    const auto month = number(at, 1, 2);
    if (!month || at >= text.size() || text[at++] != '/') return std::nullopt;
    const auto day = number(at, 1, 2);
    if (!day || at != text.size()) return std::nullopt;
    // CivilDate::parse checks the calendar (a 31 April is no date).
    return CivilDate::parse(fmt::format("{:04}-{:02}-{:02}", *year, *month, *day));
}

}  // namespace

Result<SgccData> parse_sgcc(std::string_view text, std::string_view file_name) {
    const auto problem = [&](const CsvField& field, std::string_view column, std::string_view what) {
        return user_error(fmt::format("{}:{}:{}: {}: {} ({})", file_name, field.line, field.column,
                                      printable_value(column), what, printable_value(field.text)));
    };
    CsvReader reader(text);
    reader.limit_record_bytes(max_header_bytes);
    CsvStatus status = reader.next();
    if (status == CsvStatus::end)
        return user_error(fmt::format("{}:1:1: empty: the header must name CONS_NO, FLAG and the days", file_name));
    if (status == CsvStatus::malformed)
        return user_error(
            fmt::format("{}:{}:{}: {}", file_name, reader.error().line, reader.error().column, reader.error().what));
    // The header: CONS_NO, FLAG, and a date per other column.
    const std::span<const CsvField> header = reader.record().fields;  // valid until the next record
    const std::size_t columns = header.size();
    std::vector<std::string> column_names;
    std::size_t id_column = columns, flag_column = columns;
    std::vector<std::optional<CivilDate>> date_of(columns);
    std::set<CivilDate> dates;
    for (std::size_t c = 0; c < columns; ++c) {
        const CsvField& field = header[c];
        column_names.emplace_back(field.text);
        if (field.text == "CONS_NO" || field.text == "FLAG") {
            std::size_t& slot = field.text == "CONS_NO" ? id_column : flag_column;
            if (slot != columns) return problem(field, "header", "named twice");
            slot = c;
            continue;
        }
        date_of[c] = parse_sgcc_date(field.text);
        if (!date_of[c]) return problem(field, "header", "not CONS_NO, FLAG or a day (YYYY/M/D or YYYY-MM-DD)");
        if (!dates.insert(*date_of[c]).second) return problem(field, "header", "a day named twice");
    }
    if (id_column == columns) return user_error(fmt::format("{}:1:1: header: no CONS_NO column", file_name));
    if (flag_column == columns) return user_error(fmt::format("{}:1:1: header: no FLAG column", file_name));
    if (dates.empty()) return user_error(fmt::format("{}:1:1: header: no day column", file_name));
    SgccData data;
    data.first_day = *dates.begin();
    data.days = *dates.rbegin() - data.first_day + 1;
    if (data.days > sgcc_max_days)
        return user_error(fmt::format("{}:1:1: header: the days span {} .. {}, more than {} days", file_name,
                                      dates.begin()->to_string(), dates.rbegin()->to_string(), sgcc_max_days));
    std::vector<std::int32_t> day_index(columns, -1);
    for (std::size_t c = 0; c < columns; ++c) {
        if (date_of[c]) day_index[c] = *date_of[c] - data.first_day;
    }

    reader.limit_record_bytes(max_record_bytes);
    std::set<std::string, std::less<>> seen;
    const auto days = static_cast<std::size_t>(data.days);
    for (status = reader.next(); status != CsvStatus::end; status = reader.next()) {
        if (status == CsvStatus::malformed)
            return user_error(fmt::format("{}:{}:{}: {}", file_name, reader.error().line, reader.error().column,
                                          reader.error().what));
        const CsvRecord& record = reader.record();
        if (record.fields.size() != columns)
            return user_error(fmt::format("{}:{}:1: expected {} fields as the header has, found {}", file_name,
                                          record.line, columns, record.fields.size()));
        if (data.customers.size() == sgcc_max_customers || data.usage.size() + days > sgcc_max_values)
            return user_error(fmt::format("{}:{}:1: more than {} customers or {} customer days", file_name, record.line,
                                          sgcc_max_customers, sgcc_max_values));
        const CsvField& id = record.fields[id_column];
        if (id.text.empty()) return problem(id, "CONS_NO", "must not be empty");
        if (id.text.size() > 64) return problem(id, "CONS_NO", "longer than 64 bytes");
        if (!seen.insert(std::string(id.text)).second) return problem(id, "CONS_NO", "listed twice");
        const CsvField& flag = record.fields[flag_column];
        if (flag.text != "0" && flag.text != "1") return problem(flag, "FLAG", "must be 0 or 1");
        data.customers.emplace_back(id.text);
        data.flag.push_back(flag.text == "1" ? 1 : 0);
        const std::size_t row = data.usage.size();
        data.usage.resize(row + days, std::numeric_limits<double>::quiet_NaN());
        for (std::size_t c = 0; c < columns; ++c) {
            if (day_index[c] < 0 || record.fields[c].text.empty()) continue;
            const CsvField& field = record.fields[c];
            const std::optional<double> value = parse_decimal(field.text);
            if (!value || *value < 0 || *value > 1e7)
                return problem(field, column_names[c], "not a decimal kWh 0 .. 1e7");
            data.usage[row + static_cast<std::size_t>(day_index[c])] = *value;
        }
    }
    return data;
}

std::vector<InputFile> sgcc_export_files(const SgccData& data) {
    const std::size_t areas = (data.customers.size() + sgcc_area_customers - 1) / sgcc_area_customers;
    std::string network =
        "node_id,parent_id,kind,name\nSGCC-S,,substation,SGCC import substation\n"
        "SGCC-B,SGCC-S,bus,SGCC import bus\nSGCC-F,SGCC-B,feeder,SGCC import feeder\n";
    for (std::size_t a = 0; a < areas; ++a)
        network += fmt::format("SGCC-A{:04},SGCC-F,area,SGCC customers {} .. {}\n", a + 1, a * sgcc_area_customers + 1,
                               std::min(data.customers.size(), (a + 1) * sgcc_area_customers));
    const std::string first_day = data.first_day.to_string();
    std::string customers =
        "customer_id,name,node_id,category,voltage_kv,contracted_kva,tariff_id,status,supply_start\n";
    std::string meters =
        "meter_id,customer_id,model,accuracy_class,phases,rated_current,ct_ratio,pt_ratio,multiplier,"
        "installed_on\n";
    std::string daily = "meter_id,day,import_register\n";
    const auto days = static_cast<std::size_t>(data.days);
    for (std::size_t c = 0; c < data.customers.size(); ++c) {
        std::string id;
        append_csv_field(id, data.customers[c]);
        std::string meter;
        append_csv_field(meter, "M-" + data.customers[c]);
        customers += fmt::format("{},SGCC customer,SGCC-A{:04},residential,0.22,8,RES-TIER,active,{}\n", id,
                                 c / sgcc_area_customers + 1, first_day);
        meters += fmt::format("{},{},SGCC,2.0,1,5,1,1,1,{}\n", meter, id, first_day);
        double total = 0;
        for (std::size_t d = 0; d < days; ++d) {
            const double value = data.usage[c * days + d];
            if (std::isnan(value)) continue;
            total += value;
            daily += fmt::format("{},{},{:.3f}\n", meter, (data.first_day + static_cast<std::int32_t>(d)).to_string(),
                                 total);
        }
    }
    std::vector<InputFile> files;
    files.push_back({"ami_daily.csv", FileContent::from_string(std::move(daily)), {}});
    files.push_back({"customers.csv", FileContent::from_string(std::move(customers)), {}});
    files.push_back({"meters.csv", FileContent::from_string(std::move(meters)), {}});
    files.push_back({"network.csv", FileContent::from_string(std::move(network)), {}});
    return files;
}

std::string sgcc_truth_csv(const SgccData& data) {
    std::vector<TheftTruthRow> rows;
    for (std::size_t c = 0; c < data.customers.size(); ++c) {
        if (data.flag[c] != 0)
            rows.push_back({data.customers[c], "sgcc-flag", 0, std::numeric_limits<double>::quiet_NaN()});
    }
    return theft_truth_csv(rows);
}

Result<ImportReport> import_sgcc_file(Store& store, const std::filesystem::path& file,
                                      const std::filesystem::path& truth_out, ProgressObserver& progress) {
    progress.stage(fmt::format("reading {}", file.filename().string()), "", 0);
    GA_ASSIGN_OR_RETURN(const FileContent content, FileContent::map(file));
    GA_ASSIGN_OR_RETURN(const SgccData data, parse_sgcc(content.bytes(), file.string()));
    if (!truth_out.empty()) {
        std::ofstream out(truth_out, std::ios::binary | std::ios::trunc);
        out << sgcc_truth_csv(data);
        if (!out.flush()) return external_error(fmt::format("{}: cannot write the truth file", truth_out.string()));
    }
    ImportFolderOptions options;
    options.strict = true;
    options.write_report = false;
    options.progress = &progress;
    GA_ASSIGN_OR_RETURN(ValidatedFolder validated,
                        validate_files(store, file.string(), sgcc_export_files(data), options));
    if (validated.stopped || validated.report.problem_count > 0)
        return internal_error(fmt::format(
            "{}: the export files made of it were refused: {}", file.string(),
            validated.report.messages.empty() ? std::string("(no message)") : validated.report.messages.front()));
    ImportReport& report = validated.report;
    const std::string rows = group_thousands(std::to_string(report.rows_accepted()));
    progress.stage(fmt::format("writing {} rows to the store", rows), "rows", 0);
    GA_ASSIGN_OR_RETURN(report.outcome, store.apply_batch(validated.batch, ImportOptions{true}));
    return std::move(report);
}

}  // namespace gridaudit
