// Reading and writing theft_truth.csv with the strict CSV reader.
#include "ingest/theft_truth.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <set>

#include "ingest/field_parser.hpp"
#include "text/csv_reader.hpp"
#include "text/file_content.hpp"
#include "text/printable_text.hpp"

namespace gridaudit {

Result<std::vector<TheftTruthRow>> parse_theft_truth(std::string_view text, std::string_view file_name) {
    CsvReader reader(text);
    std::vector<TheftTruthRow> rows;
    std::set<std::string, std::less<>> seen;
    bool header = true;
    const auto problem = [&](const CsvField& field, std::string_view column, std::string_view what) {
        return user_error(fmt::format("{}:{}:{}: {}: {} ({})", file_name, field.line, field.column, column, what,
                                      printable_value(field.text)));
    };
    for (CsvStatus status = reader.next(); status != CsvStatus::end; status = reader.next()) {
        if (status == CsvStatus::malformed)
            return user_error(fmt::format("{}:{}:{}: {}", file_name, reader.error().line, reader.error().column,
                                          reader.error().what));
        const CsvRecord& record = reader.record();
        if (header) {
            if (record.raw != theft_truth_header)
                return user_error(fmt::format("{}:{}:1: the header must be {} ({})", file_name, record.line,
                                              theft_truth_header, printable_value(record.raw)));
            header = false;
            continue;
        }
        const auto& fields = record.fields;
        if (fields.size() != 4)
            return user_error(fmt::format("{}:{}:1: expected 4 fields, found {} ({})", file_name, record.line,
                                          fields.size(), printable_value(record.raw)));
        TheftTruthRow row;
        if (fields[0].text.empty()) return problem(fields[0], "customer_id", "must not be empty");
        row.customer_id = std::string(fields[0].text);
        if (!seen.insert(row.customer_id).second) return problem(fields[0], "customer_id", "listed twice");
        if (fields[1].text.empty()) return problem(fields[1], "attack", "must not be empty");
        row.attack = std::string(fields[1].text);
        if (!fields[2].text.empty()) {
            const std::optional<std::int64_t> days = parse_integer(fields[2].text);
            if (!days || *days < 0 || *days > 100000)
                return problem(fields[2], "attacked_days", "not a whole number of days 0 .. 100000");
            row.attacked_days = static_cast<std::int32_t>(*days);
        }
        if (fields[3].text.empty()) {
            row.stolen_kwh = std::numeric_limits<double>::quiet_NaN();
        } else {
            const std::optional<double> kwh = parse_decimal(fields[3].text);
            if (!kwh || *kwh < 0 || *kwh > 1e12) return problem(fields[3], "stolen_kwh", "not a decimal 0 .. 1e12");
            row.stolen_kwh = *kwh;
        }
        rows.push_back(std::move(row));
    }
    if (header) return user_error(fmt::format("{}:1:1: empty: the header must be {}", file_name, theft_truth_header));
    return rows;
}

Result<std::vector<TheftTruthRow>> read_theft_truth(const std::filesystem::path& file) {
    GA_ASSIGN_OR_RETURN(const FileContent content, FileContent::map(file));
    return parse_theft_truth(content.bytes(), file.string());
}

std::string theft_truth_csv(const std::vector<TheftTruthRow>& rows) {
    std::string out = std::string(theft_truth_header) + "\n";
    for (const TheftTruthRow& row : rows) {
        append_csv_field(out, row.customer_id);
        out += ',';
        append_csv_field(out, row.attack);
        out += fmt::format(",{},{}\n", row.attacked_days,
                           std::isfinite(row.stolen_kwh) ? fmt::format("{:.3f}", row.stolen_kwh) : std::string());
    }
    return out;
}

}  // namespace gridaudit
