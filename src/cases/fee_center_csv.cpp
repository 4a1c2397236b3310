// Strict reading of the fee center's anomaly CSV.
#include "cases/fee_center_csv.hpp"

#include <fmt/format.h>

#include <array>
#include <string>

#include "text/csv_reader.hpp"
#include "text/printable_text.hpp"
#include "text/utf8_text.hpp"

namespace gridaudit {
namespace {

constexpr std::array<std::string_view, 6> columns{"subject_kind", "subject_id", "kind",
                                                  "description",  "amount",     "found_on"};
constexpr std::size_t max_listed_problems = 20;

std::size_t characters(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
    return count;
}

class Problems {
public:
    explicit Problems(std::string_view file) : file_(file) {}
    void add(std::uint32_t line, std::uint32_t column, std::string_view what) {
        if (++count_ <= max_listed_problems) lines_.push_back(fmt::format("{}:{}:{}: {}", file_, line, column, what));
    }
    void add_field(const CsvField& field, std::string_view column, std::string_view what) {
        add(field.line, field.column, fmt::format("{}: {} ({})", column, what, printable_value(field.text)));
    }
    [[nodiscard]] bool empty() const { return count_ == 0; }
    [[nodiscard]] std::string message() const {
        std::string text = fmt::format("{}: the fee-center list is refused ({} problem{}); nothing was imported:\n{}",
                                       file_, count_, count_ == 1 ? "" : "s", fmt::join(lines_, "\n"));
        if (count_ > max_listed_problems) text += fmt::format("\n... and {} more", count_ - max_listed_problems);
        return text;
    }

private:
    std::string_view file_;
    std::vector<std::string> lines_;
    std::size_t count_ = 0;
};

bool two_decimals_at_most(std::string_view text) {
    const auto point = text.find('.');
    return point == std::string_view::npos || text.size() - point - 1 <= 2;
}

constexpr std::array<FeeCenterColumn, 6> column_descriptions{{
    {"subject_kind", "text", "customer, meter or node"},
    {"subject_id", "text", "the subject's id in the store (1 to 64 characters)"},
    {"kind", "text", "the cause the case is worked under: a rule id or a cause of the policy (A-Z a-z 0-9 _ - .)"},
    {"description", "text", "what the fee center saw (1 to 1,000 characters)"},
    {"amount", "money", "CNY at stake, at least 0, at most 2 decimals (0 when unknown)"},
    {"found_on", "date", "YYYY-MM-DD, not after the import day"},
}};

}  // namespace

std::span<const FeeCenterColumn> fee_center_csv_columns() {
    return column_descriptions;
}

Result<std::vector<FeeCenterAnomaly>> parse_fee_center_csv(std::string_view bytes, std::string_view file_name,
                                                           CivilDate today) {
    Problems problems(file_name);
    std::vector<FeeCenterAnomaly> anomalies;
    if (!is_valid_utf8(bytes)) {
        // The line and character column of the first byte that is not UTF-8, for the message.
        std::uint32_t line = 1, column = 1;
        for (std::size_t at = 0; at < bytes.size();) {
            const std::size_t length = utf8_sequence_length(bytes, at);
            if (length == 0) break;
            if (bytes[at] == '\n') {
                ++line;
                column = 0;
            }
            ++column;
            at += length;
        }
        problems.add(line, column, "not UTF-8 text");
        return user_error(problems.message());
    }
    CsvReader reader(bytes);
    reader.limit_record_bytes(max_header_bytes);
    bool header_seen = false;
    for (;;) {
        const CsvStatus status = reader.next();
        if (status == CsvStatus::end) break;
        if (status == CsvStatus::malformed) {
            const auto& error = reader.error();
            problems.add(error.line, error.column, fmt::format("malformed CSV: {}", error.what));
            if (error.whole_file) break;
            continue;
        }
        const CsvRecord& record = reader.record();
        if (!header_seen) {
            header_seen = true;
            reader.limit_record_bytes(max_record_bytes);
            bool header_ok = record.fields.size() == columns.size();
            for (std::size_t i = 0; header_ok && i < columns.size(); ++i)
                header_ok = record.fields[i].text == columns[i];
            if (!header_ok) {
                problems.add(
                    record.line, 1,
                    fmt::format("the header must be {} ({})", fee_center_csv_header, printable_value(record.raw)));
                break;
            }
            continue;
        }
        if (record.fields.size() != columns.size()) {
            problems.add(record.line, 1,
                         fmt::format("{} fields, the header has {} ({})", record.fields.size(), columns.size(),
                                     printable_value(record.raw)));
            continue;
        }
        const auto& f = record.fields;
        FeeCenterAnomaly anomaly;
        anomaly.source = fmt::format("{}:{}", file_name, record.line);
        bool ok = true;
        if (const auto kind = parse_subject_kind(f[0].text)) {
            anomaly.subject_kind = *kind;
        } else {
            problems.add_field(f[0], columns[0], "must be customer, meter or node");
            ok = false;
        }
        if (f[1].text.empty() || characters(f[1].text) > 64 ||
            find_control_character(f[1].text) != std::string_view::npos) {
            problems.add_field(f[1], columns[1], "must be 1 to 64 characters, none a control character");
            ok = false;
        }
        anomaly.subject_id = f[1].text;
        if (!is_case_cause(f[2].text)) {
            problems.add_field(f[2], columns[2], "must be 1 to 64 of A-Z a-z 0-9 _ - .");
            ok = false;
        }
        anomaly.kind = f[2].text;
        if (f[3].text.empty() || characters(f[3].text) > 1000 ||
            find_control_character(f[3].text) != std::string_view::npos) {
            problems.add_field(f[3], columns[3], "must be 1 to 1,000 characters, none a control character");
            ok = false;
        }
        anomaly.description = f[3].text;
        const auto amount = Money::parse(f[4].text);
        if (!amount || amount->units() < 0 || !two_decimals_at_most(f[4].text)) {
            problems.add_field(f[4], columns[4], "must be an amount of at least 0 with at most 2 decimals");
            ok = false;
        } else {
            anomaly.amount = *amount;
        }
        const auto found_on = f[5].text.size() == 10 ? CivilDate::parse(f[5].text) : std::nullopt;
        if (!found_on) {
            problems.add_field(f[5], columns[5], "must be a date YYYY-MM-DD");
            ok = false;
        } else if (*found_on > today) {
            problems.add_field(f[5], columns[5], fmt::format("is after today, {}", today.to_string()));
            ok = false;
        } else {
            anomaly.found_on = *found_on;
        }
        if (ok) anomalies.push_back(std::move(anomaly));
    }
    if (!header_seen && problems.empty())
        problems.add(1, 1, fmt::format("empty file: the header must be {}", fee_center_csv_header));
    if (!problems.empty()) return user_error(problems.message());
    return anomalies;
}

}  // namespace gridaudit
