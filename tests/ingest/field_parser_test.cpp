// Tests of field parsing: for each column type, a table of texts and the value or the complaint
// they give; and the fast decimal and date paths against their slow references.
#include "ingest/field_parser.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace gridaudit {
namespace {

// A FieldValue as text, so expectations read like the input.
std::string show(const FieldValue& value) {
    struct Visitor {
        std::string operator()(std::monostate) const { return "<empty>"; }
        std::string operator()(const std::string& text) const { return "text " + text; }
        std::string operator()(std::int64_t number) const { return fmt::format("integer {}", number); }
        std::string operator()(double number) const { return fmt::format("decimal {}", number); }
        std::string operator()(Money money) const { return fmt::format("money {}", money.units()); }
        std::string operator()(CivilDate date) const { return "date " + date.to_string(); }
        std::string operator()(Period period) const { return "period " + period.to_string(); }
        std::string operator()(Instant instant) const { return fmt::format("instant {}", instant.unix_seconds()); }
    };
    return std::visit(Visitor{}, value);
}

struct FieldCase {
    const char* table;
    const char* column;
    const char* text;
    const char* expected;  // show(value), or "error: <complaint>"
};

TEST(FieldParserTest, ParsesOrRejectsEachTypeAsTheContractSays) {
    const std::vector<FieldCase> cases = {
        // text: any valid UTF-8
        {"customers", "name", "Li Ming", "text Li Ming"},
        {"customers", "name", "李明", "text 李明"},
        {"customers", "name", "bad \xC3", "error: not valid UTF-8 text"},
        {"customers", "name", "\xED\xA0\x80", "error: not valid UTF-8 text"},  // surrogate
        {"customers", "name", "", "<empty>"},
        // code
        {"customers", "category", "residential", "text residential"},
        {"customers", "category", "Residential",
         "error: unknown code, allowed: residential, commercial, industrial, large_industrial, agricultural, "
         "temporary"},
        {"customers", "status", " active", "error: unknown code, allowed: active, suspended, closed"},
        // integer (with codes for phases, range for duration_s)
        {"meters", "phases", "3", "integer 3"},
        {"meters", "phases", "2", "error: not an allowed value, allowed: 1, 3"},
        {"meters", "phases", "03", "integer 3"},
        {"meters", "phases", "+3", "error: a leading '+' is not allowed"},
        {"meters", "phases", "3.0", "error: not a whole number"},
        {"meter_events", "duration_s", "3600", "integer 3600"},
        {"meter_events", "duration_s", "-1", "error: negative value not allowed"},
        {"meter_events", "duration_s", "99999999999999999999", "error: not a whole number"},
        {"meter_events", "duration_s", " 5", "error: not a whole number"},
        // decimal: strict syntax, then range
        {"customers", "contracted_kva", "8", "decimal 8"},
        {"customers", "contracted_kva", "12.5", "decimal 12.5"},
        {"customers", "contracted_kva", "0", "decimal 0"},
        {"customers", "contracted_kva", "-3", "error: negative value not allowed"},
        {"customers", "contracted_kva", "10000001", "error: above the maximum 10000000"},
        {"customers", "voltage_kv", "0.05", "error: below the minimum 0.1"},
        {"customers", "contracted_kva", "1e3", "error: not a decimal number (digits with '.' as decimal point)"},
        {"customers", "contracted_kva", "1E3", "error: not a decimal number (digits with '.' as decimal point)"},
        {"customers", "contracted_kva", "inf", "error: not a decimal number (digits with '.' as decimal point)"},
        {"customers", "contracted_kva", "nan", "error: not a decimal number (digits with '.' as decimal point)"},
        {"customers", "contracted_kva", "0x10", "error: not a decimal number (digits with '.' as decimal point)"},
        {"customers", "contracted_kva", "+8", "error: a leading '+' is not allowed"},
        {"customers", "contracted_kva", " 8", "error: not a decimal number (digits with '.' as decimal point)"},
        {"customers", "contracted_kva", "8 ", "error: not a decimal number (digits with '.' as decimal point)"},
        {"customers", "contracted_kva", ".5", "error: not a decimal number (digits with '.' as decimal point)"},
        {"customers", "contracted_kva", "5.", "error: not a decimal number (digits with '.' as decimal point)"},
        {"customers", "contracted_kva", "1,000", "error: not a decimal number (digits with '.' as decimal point)"},
        {"customers", "contracted_kva", "1.2.3", "error: not a decimal number (digits with '.' as decimal point)"},
        {"customers", "contracted_kva", "-", "error: not a decimal number (digits with '.' as decimal point)"},
        {"ami_interval", "kwh", "-1.25", "decimal -1.25"},
        // money: at most four decimals, via Money::parse
        {"bills", "total", "130.58", "money 1305800"},
        {"bills", "total", "-0.0001", "money -1"},
        {"bills", "total", "1.23456", "error: not an amount (a decimal number with at most 4 decimals)"},
        {"bills", "total", "+1", "error: a leading '+' is not allowed"},
        {"bills", "total", "1e2", "error: not an amount (a decimal number with at most 4 decimals)"},
        // date
        {"customers", "supply_start", "2024-02-29", "date 2024-02-29"},
        {"customers", "supply_start", "2026-02-29", "error: not a date (YYYY-MM-DD)"},
        {"customers", "supply_start", "2026-13-01", "error: not a date (YYYY-MM-DD)"},
        {"customers", "supply_start", "2026-1-01", "error: not a date (YYYY-MM-DD)"},
        {"customers", "supply_start", "2026/01/01", "error: not a date (YYYY-MM-DD)"},
        {"customers", "supply_start", "2026-01-01T00:00", "error: not a date (YYYY-MM-DD)"},
        // period
        {"bills", "period", "2026-10", "period 2026-10"},
        {"bills", "period", "2026-00", "error: not a month (YYYY-MM)"},
        {"bills", "period", "2026-10-01", "error: not a month (YYYY-MM)"},
        // instant: an offset is required
        {"work_orders", "accepted_at", "2026-10-08T09:30:00+08:00", "instant 1791423000"},
        {"work_orders", "accepted_at", "2026-10-08T01:30Z", "instant 1791423000"},
        {"work_orders", "accepted_at", "2026-10-08T09:30:00",
         "error: not an instant (YYYY-MM-DDTHH:MM[:SS] with Z or +HH:MM offset)"},
        {"work_orders", "accepted_at", "2026-10-08T24:00:00Z",
         "error: not an instant (YYYY-MM-DDTHH:MM[:SS] with Z or +HH:MM offset)"},
        // ratio
        {"meters", "ct_ratio", "200/5", "text 200/5"},
        {"meters", "ct_ratio", "1", "text 1"},
        {"meters", "pt_ratio", "10000/100", "text 10000/100"},
        {"meters", "ct_ratio", "7.5/5", "text 7.5/5"},
        {"meters", "ct_ratio", "0", "error: not a ratio of positive numbers (such as 200/5, or 1)"},
        {"meters", "ct_ratio", "200/0", "error: not a ratio of positive numbers (such as 200/5, or 1)"},
        {"meters", "ct_ratio", "-200/5", "error: not a ratio of positive numbers (such as 200/5, or 1)"},
        {"meters", "ct_ratio", "200:5", "error: not a ratio of positive numbers (such as 200/5, or 1)"},
        {"meters", "ct_ratio", "200/5/1", "error: not a ratio of positive numbers (such as 200/5, or 1)"},
        {"meters", "ct_ratio", "/5", "error: not a ratio of positive numbers (such as 200/5, or 1)"},
        // flags
        {"ami_interval", "flags", "estimated", "text estimated"},
        {"ami_interval", "flags", "estimated|power_out", "text estimated|power_out"},
        {"ami_interval", "flags", "estimated||power_out", "error: empty flag between '|' separators"},
        {"ami_interval", "flags", "Estimated",
         "error: unknown flag 'Estimated', allowed: estimated, power_out, clock_adjusted, overflow, partial, tamper"},
    };
    for (const auto& c : cases) {
        const ColumnSpec* column = find_table(c.table)->column(c.column);
        ASSERT_NE(column, nullptr) << c.table << "." << c.column;
        const auto result = parse_field(*column, c.text);
        const std::string actual = result ? show(*result) : "error: " + result.error();
        EXPECT_EQ(actual, c.expected) << c.table << "." << c.column << " <- '" << c.text << "'";
    }
}

TEST(FieldParserTest, FlagBitsFollowTheContractOrderOfCodes) {
    const ColumnSpec& flags = *find_table("ami_interval")->column("flags");
    EXPECT_EQ(parse_flag_bits(flags, "").value(), 0u);
    EXPECT_EQ(parse_flag_bits(flags, "estimated").value(), interval_estimated);
    EXPECT_EQ(parse_flag_bits(flags, "tamper|power_out").value(), unsigned{interval_tamper | interval_power_out});
    EXPECT_FALSE(parse_flag_bits(flags, "|").has_value());
}

// A deterministic generator (no unseeded randomness in tests).
struct Lcg {
    std::uint64_t state;
    std::uint64_t next() { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; }
};

TEST(FieldParserTest, FastDecimalsEqualTheCorrectlyRoundedValue) {
    Lcg random{12345};
    std::vector<std::string> texts = {"0",
                                      "-0",
                                      "0.1",
                                      "123456789.123456789",
                                      "9007199254740993",
                                      "0.3",
                                      "1.7976931348623157",
                                      "12345678901234567890.5",
                                      "0.0000000000000000000000001",
                                      "4503599627370497.5"};
    for (int i = 0; i < 20000; ++i) {
        const auto whole = random.next() % 10'000'000'000ULL;
        const auto digits = static_cast<int>(random.next() % 12);
        std::string text = std::to_string(whole);
        if (digits > 0) {
            text += '.';
            for (int d = 0; d < digits; ++d) text += static_cast<char>('0' + random.next() % 10);
        }
        if (random.next() % 4 == 0) text = "-" + text;
        texts.push_back(text);
    }
    for (const auto& text : texts) {
        const auto fast = parse_decimal(text);
        ASSERT_TRUE(fast.has_value()) << text;
        const double reference = std::strtod(text.c_str(), nullptr);
        EXPECT_EQ(*fast, reference) << text;
        EXPECT_EQ(std::signbit(*fast), std::signbit(reference)) << text;
    }
}

TEST(FieldParserTest, CachedDatesEqualCivilDateParse) {
    DateParser parser;
    for (int year : {1899, 1900, 1970, 2000, 2023, 2024, 2100, 9999}) {
        for (int month = 0; month <= 13; ++month) {
            for (int day = 0; day <= 32; ++day) {
                const std::string text = fmt::format("{:04}-{:02}-{:02}", year, month, day);
                const auto expected = CivilDate::parse(text);
                const auto actual = parser.parse(text);
                ASSERT_EQ(actual.has_value(), expected.has_value()) << text;
                if (expected) {
                    EXPECT_EQ(*actual, expected->days_since_epoch()) << text;
                }
            }
        }
    }
    for (const char* bad :
         {"", "2026-10-3", "2026-10-031", "2026-10-3a", "2026-1a-01", "20a6-10-01", "2026x10-01", "2026-10x01"}) {
        EXPECT_FALSE(parser.parse(bad).has_value()) << bad;
        EXPECT_FALSE(CivilDate::parse(bad).has_value()) << bad;
    }
    const std::string with_nul(
        "2026-10-\0"
        "1",
        10);
    EXPECT_FALSE(parser.parse(with_nul).has_value());
}

TEST(FieldParserTest, ControlCharactersInTextAreRefusedAtImport) {
    const TableSpec& customers = *find_table("customers");
    const ColumnSpec& name = customers.columns[static_cast<std::size_t>(customers.column_index("name"))];
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"Li\x1b[2JMing", "U+001B"},  // ESC: a terminal escape sequence
        {"Li\aMing", "U+0007"},       // BEL
        {std::string("Li\0Ming", 7), "U+0000"},
        {"Li\tMing", "U+0009"},
        {"Li\nMing", "U+000A"},
        {"Li\rMing", "U+000D"},
        {"Li\x7FMing", "U+007F"},      // DEL
        {"Li\xC2\x9BMing", "U+009B"},  // C1: the one-byte CSI of some terminals
        {"Li\xC2\x85Ming", "U+0085"},  // C1: next line
    };
    for (const auto& [text, code] : cases) {
        const auto parsed = parse_field(name, text);
        ASSERT_FALSE(parsed.has_value()) << code;
        EXPECT_EQ(parsed.error(), "control character " + code +
                                      " not allowed in text (tab, line breaks, escape and other control characters "
                                      "are refused)");
    }
    EXPECT_TRUE(parse_field(name, "Li Ming \xC2\xA0 \xC3\x9F").has_value());  // U+00A0, U+00DF are text
}

}  // namespace
}  // namespace gridaudit
