// Tests of the bulk series parsers: the same rows and the same messages as the generic path on
// the same data; identical results on one thread and on two, also when the split point falls
// inside a quoted field or badly quoted text; duplicates; the line of each row.
#include "ingest/daily_series_parser.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "fake_store.hpp"
#include "ingest/interval_series_parser.hpp"
#include "ingest/reference_checker.hpp"
#include "ingest/table_validator.hpp"

namespace gridaudit {
namespace {

using Messages = std::vector<std::string>;

Messages sorted_messages(const ProblemLog& problems) {
    Messages messages;
    for (const auto& problem : problems.problems()) messages.push_back(problem.to_string());
    std::sort(messages.begin(), messages.end());
    return messages;
}

// Daily rows as "meter day import export" lines (NaN printed as "-").
std::vector<std::string> show_rows(const DailySeriesRows& rows) {
    std::vector<std::string> out;
    const auto value = [](double v) { return std::isnan(v) ? std::string("-") : fmt::format("{}", v); };
    for (std::size_t i = 0; i < rows.size(); ++i)
        out.push_back(fmt::format("{} {} {} {}", rows.meter_ids[rows.meter[i]],
                                  CivilDate::from_days(rows.day[i]).to_string(), value(rows.import_register[i]),
                                  value(rows.export_register[i])));
    return out;
}

std::vector<std::string> show_generic_rows(const CheckedTable& table) {
    std::vector<std::string> out;
    const auto value = [](const FieldValue& v) {
        const double* number = std::get_if<double>(&v);
        return number == nullptr ? std::string("-") : fmt::format("{}", *number);
    };
    for (const auto& row : table.rows) {
        if (row.rejected()) continue;
        out.push_back(fmt::format("{} {} {} {}", std::get<std::string>(row.row.values[0]),
                                  std::get<CivilDate>(row.row.values[1]).to_string(), value(row.row.values[2]),
                                  value(row.row.values[3])));
    }
    return out;
}

const std::string meters_csv =
    "meter_id,customer_id,node_id,model,accuracy_class,phases,rated_current,ct_ratio,pt_ratio,multiplier,"
    "installed_on\n"
    "M1,C1,,DDZY71,2.0,1,5,1,1,1,2019-04-01\n"
    "M2,C2,,DDZY71,2.0,1,5,1,1,1,2019-04-01\n"
    "M3,C3,,DDZY71,2.0,1,5,1,1,1,2019-04-32\n";

// Every kind of row: good, empty registers, each field problem, wrong field count, malformed,
// duplicates, an unknown meter, a rejected meter, quoted and multi-line fields, blank lines.
const std::string daily_csv =
    "import_register,meter_id,x_source,day,export_register\n"
    "5230.41,M1,hes,2026-10-01,0\n"
    "5231.5,M1,hes,2026-10-02,\n"
    ",M1,hes,2026-10-03,\n"
    "-1,M1,hes,2026-10-04,0\n"
    "5232,M1,hes,2026-10-31,1e3\n"
    "5233,M1,hes,2026-11-31,0\n"
    "5234,,hes,2026-11-01,0\n"
    "5235,M1,hes,2026-11-02\n"
    "5236,M1,h\"es,2026-11-03,0\n"
    "\n"
    "17,M2,\"multi\nline\",2026-10-01,0\n"
    "18,\"M2\",hes,2026-10-02,0\n"
    "1e12,M2,hes,2026-10-03,0\n"
    "1000000000001,M2,hes,2026-10-04,0\n"
    "5231.5,M1,hes,2026-10-02,\n"
    "1,M9,hes,2026-10-01,0\n"
    "1,M3,hes,2026-10-01,0\n"
    "19,M2,hes,2026-10-02,0\n"
    "20,M\xC3,hes,2026-10-05,0\n"
    // Rows to the end of the file are read by the general reader; the rows above by the fast one.
    "21,M2,hes,2026-12-01,0\n22,M2,hes,2026-12-02,0\n23,M2,hes,2026-12-03,0\n24,M2,hes,2026-12-04,0\n";

// A store holding the customers of meters_csv.
FakeStore store_with_customers() {
    FakeStore store;
    for (const char* id : {"C1", "C2", "C3"}) store.rows["customers"][id] = Row{};
    return store;
}

TEST(DailySeriesParserTest, GivesTheSameRowsAndMessagesAsTheGenericPath) {
    FakeStore store = store_with_customers();
    const TableSpec& daily_spec = *find_table("ami_daily");

    // Generic path: rows of FieldValues, then references.
    ProblemLog generic_problems;
    std::vector<CheckedTable> tables;
    tables.push_back(check_table(*find_table("meters"), "meters.csv", meters_csv, generic_problems));
    tables.push_back(check_table(daily_spec, "ami_daily.csv", daily_csv, generic_problems));
    std::vector<CheckedTariff> no_tariffs;
    StoredData generic_stored(store);
    ReferenceChecker generic_references(tables, no_tariffs, generic_stored, generic_problems);
    ASSERT_TRUE(generic_references.run().has_value());

    // Series path: columns, then late rejections.
    for (const unsigned threads : {1u, 2u}) {
        ProblemLog problems;
        std::vector<CheckedTable> meters;
        meters.push_back(check_table(*find_table("meters"), "meters.csv", meters_csv, problems));
        auto parse = parse_daily_series("ami_daily.csv", daily_csv, {threads, default_max_rejected_rows}, problems);
        StoredData stored(store);
        ReferenceChecker references(meters, no_tariffs, stored, problems);
        ASSERT_TRUE(references.run().has_value());
        std::vector<std::optional<std::string>> meter_problems;
        for (const auto& id : parse.rows.meter_ids) meter_problems.push_back(references.meter_problem(id).value());
        reject_late_daily_rows(parse, daily_csv, meter_problems, problems);

        EXPECT_EQ(show_rows(parse.rows), show_generic_rows(tables[1])) << threads << " threads";
        EXPECT_EQ(sorted_messages(problems), sorted_messages(generic_problems)) << threads << " threads";
        EXPECT_EQ(parse.rows_read, tables[1].rows.size());
        EXPECT_EQ(parse.rejected.size(), tables[1].rejected_count());
        // Every accepted row knows its line; rejected rows keep their text, in line order.
        std::vector<std::uint32_t> generic_lines, generic_rejected_lines;
        for (const auto& row : tables[1].rows)
            (row.rejected() ? generic_rejected_lines : generic_lines).push_back(row.row.line);
        std::vector<std::uint32_t> lines, rejected_lines;
        for (std::size_t r = 0; r < parse.lines.size(); ++r) lines.push_back(parse.lines.line_of(r));
        for (const auto& row : parse.rejected) rejected_lines.push_back(row.line);
        EXPECT_EQ(lines, generic_lines);
        EXPECT_EQ(rejected_lines, generic_rejected_lines);
    }
    // The messages themselves, to see that the data above exercises what it should.
    EXPECT_EQ(sorted_messages(generic_problems),
              (Messages{
                  "ami_daily.csv:10:10: quote inside an unquoted field",
                  "ami_daily.csv:15:1: import_register: not a decimal number (digits with '.' as decimal point) (1e12)",
                  "ami_daily.csv:16:1: import_register: above the maximum 1000000000000 (1000000000001)",
                  "ami_daily.csv:17:8: meter_id: duplicate key, first on line 3 (M1, 2026-10-02)",
                  "ami_daily.csv:18:3: meter_id: not found in meters.csv or in the store (M9)",
                  "ami_daily.csv:19:3: meter_id: references meters.csv line 4, which was rejected (M3)",
                  "ami_daily.csv:20:4: meter_id: duplicate key, first on line 14 (M2, 2026-10-02)",
                  "ami_daily.csv:21:4: meter_id: not valid UTF-8 text (M\\xC3)",
                  "ami_daily.csv:5:1: import_register: negative value not allowed (-1)",
                  "ami_daily.csv:6:24: export_register: not a decimal number (digits with '.' as decimal point) (1e3)",
                  "ami_daily.csv:7:13: day: not a date (YYYY-MM-DD) (2026-11-31)",
                  "ami_daily.csv:8:6: meter_id: required value is empty",
                  "ami_daily.csv:9:13: the record has 4 fields, the header has 5",
                  "meters.csv:4:29: installed_on: not a date (YYYY-MM-DD) (2019-04-32)",
              }));
    EXPECT_EQ(show_generic_rows(tables[1]),
              (std::vector<std::string>{"M1 2026-10-01 5230.41 0", "M1 2026-10-02 5231.5 -", "M1 2026-10-03 - -",
                                        "M2 2026-10-01 17 0", "M2 2026-10-02 18 0", "M2 2026-12-01 21 0",
                                        "M2 2026-12-02 22 0", "M2 2026-12-03 23 0", "M2 2026-12-04 24 0"}));
}

// Everything a parse produced, as text, to compare runs on different thread counts.
struct ParseOutcome {
    std::vector<std::string> rows;
    std::vector<std::uint32_t> lines;
    std::vector<std::string> rejected;  // "line: reason"
    Messages problems;
    std::size_t rows_read = 0;
    unsigned threads_used = 0;
    bool operator==(const ParseOutcome& other) const {
        return rows == other.rows && lines == other.lines && rejected == other.rejected && problems == other.problems &&
               rows_read == other.rows_read;
    }
};

ParseOutcome parse_with(const std::string& content, unsigned threads) {
    ProblemLog problems;
    auto parse = parse_daily_series("ami_daily.csv", content, {threads, default_max_rejected_rows}, problems);
    reject_late_daily_rows(parse, content, {}, problems);
    ParseOutcome outcome;
    outcome.rows = show_rows(parse.rows);
    for (std::size_t r = 0; r < parse.lines.size(); ++r) outcome.lines.push_back(parse.lines.line_of(r));
    for (const auto& row : parse.rejected) outcome.rejected.push_back(fmt::format("{}: {}", row.line, row.reason));
    outcome.problems = sorted_messages(problems);
    outcome.rows_read = parse.rows_read;
    outcome.threads_used = parse.threads_used;
    return outcome;
}

// A daily file of more than 2 MiB (so it is split on two threads) with `middle` in its centre:
// the split point falls inside the first quarter or so of `middle`.
std::string big_daily_file(const std::string& early, const std::string& middle, const std::string& late) {
    const std::string header = "meter_id,day,import_register,export_register,x_note\n";
    std::string before = early, after;
    for (int meter = 0; meter < 50000; ++meter) before += fmt::format("M{:05},2026-10-01,{:05}.5,0,\n", meter, meter);
    for (int meter = 50000; meter < 100000; ++meter)
        after += fmt::format("M{:05},2026-10-01,{:05}.5,0,\n", meter, meter);
    after += late;
    // Balance the two sides (rows of padding are 26 bytes) so the data's centre is in `middle`.
    const std::string padding_row = "M99999,2026-10-02,1.5,0,1\n";
    while (before.size() + padding_row.size() <= after.size()) before = padding_row + before;
    while (after.size() + padding_row.size() <= before.size()) after += padding_row;
    return header + before + middle + after;
}

struct SplitCase {
    const char* name;
    std::string early, middle, late;
    unsigned threads;  // chunks used when two threads are asked for
};

TEST(DailySeriesParserTest, SplittingAcrossThreadsNeverChangesTheResult) {
    const std::string long_line(4000, 'a'), short_line(1000, 'b');
    const std::vector<SplitCase> cases = {
        {"split inside a quoted multi-line field", "", "Q1,2026-10-01,1,0,\"" + long_line + "\n" + short_line + "\"\n",
         "", 2},
        {"split inside a quoted field after a stray quote (even quotes, so the second chunk is parsed again)",
         "M\"X,2026-10-01,1,0,\n", "Q1,2026-10-01,1,0,\"" + long_line + "\n" + short_line + "\"\n", "", 2},
        {"split inside blank lines", "", std::string(8000, '\n'), "", 2},
        {"split inside a malformed multi-line record", "",
         "Q1,2026-10-01,1,0,\"" + long_line + "\n" + short_line + "\"x\n", "", 2},
        {"no line feed at the end of the file", "", "Q1,2026-10-01,1,0,\"" + long_line + "\n" + short_line + "\"\n",
         "Z1,2026-10-01,1,0,", 2},
        {"an odd number of quotes: one thread", "", "Q1,2026-10-01,1\"" + long_line + ",0,\n", "", 1},
        {"duplicates and problems in both halves", "M00007,2026-10-01,7.5,0,\nbad,2026-02-30,1,0,\n",
         "Q1,2026-10-01,1,0,\"" + long_line + "\"\n", "M00003,2026-10-01,3.5,0,\nM99998,2026-10-01,-5,0,\n", 2},
    };
    for (const auto& c : cases) {
        const std::string content = big_daily_file(c.early, c.middle, c.late);
        const auto one = parse_with(content, 1);
        const auto two = parse_with(content, 2);
        const auto three = parse_with(content, 3);
        EXPECT_EQ(one.threads_used, 1u) << c.name;
        EXPECT_EQ(two.threads_used, c.threads) << c.name;
        EXPECT_TRUE(one == two) << c.name;
        EXPECT_TRUE(one == three) << c.name;
        EXPECT_GE(one.rows.size(), 100000u) << c.name;
    }
    // The last case's problems, found on two threads: on both sides of the split.
    const auto last = parse_with(big_daily_file(cases.back().early, cases.back().middle, cases.back().late), 2);
    EXPECT_EQ(last.problems,
              (Messages{"ami_daily.csv:100005:1: meter_id: duplicate key, first on line 7 (M00003, 2026-10-01)",
                        "ami_daily.csv:100006:19: import_register: negative value not allowed (-5)",
                        "ami_daily.csv:11:1: meter_id: duplicate key, first on line 2 (M00007, 2026-10-01)",
                        "ami_daily.csv:3:5: day: not a date (YYYY-MM-DD) (2026-02-30)"}));
}

TEST(DailySeriesParserTest, FindsDuplicatesInUnsortedFiles) {
    const std::string content =
        "meter_id,day,import_register\n"
        "B,2026-10-02,2\nA,2026-10-01,1\nB,2026-10-01,1\nA,2026-10-01,9\nB,2026-10-02,3\nB,2026-10-02,4\n";
    const auto outcome = parse_with(content, 2);
    EXPECT_EQ(outcome.problems,
              (Messages{"ami_daily.csv:5:1: meter_id: duplicate key, first on line 3 (A, 2026-10-01)",
                        "ami_daily.csv:6:1: meter_id: duplicate key, first on line 2 (B, 2026-10-02)",
                        "ami_daily.csv:7:1: meter_id: duplicate key, first on line 2 (B, 2026-10-02)"}));
    EXPECT_EQ(outcome.rows, (std::vector<std::string>{"B 2026-10-02 2 -", "A 2026-10-01 1 -", "B 2026-10-01 1 -"}));
    EXPECT_EQ(outcome.lines, (std::vector<std::uint32_t>{2, 3, 4}));
}

TEST(DailySeriesParserTest, StopsAfterTooManyRejectedRows) {
    std::string content = "meter_id,day,import_register\n";
    for (int i = 0; i < 40; ++i) content += fmt::format("M{:03},2026-10-{:02},-1\n", i, i % 28 + 1);
    ProblemLog problems;
    const auto parse = parse_daily_series("ami_daily.csv", content, {1, 5}, problems);
    EXPECT_FALSE(parse.usable);
    EXPECT_TRUE(problems.has_whole_file_problem());
    EXPECT_EQ(problems.problems().back().to_string(),
              "ami_daily.csv: more than 5 rejected rows: the file was not read further");
    EXPECT_LE(parse.rows_read, 7u);
}

TEST(SeriesDuplicatesTest, KeepsTheFirstOccurrence) {
    const std::vector<std::uint32_t> meter = {0, 1, 0, 1, 0, 1, 2};
    const std::vector<std::int64_t> time = {5, 5, 3, 5, 5, 4, 5};
    const auto duplicates = find_duplicate_rows<std::int64_t>(meter, time, 3);
    ASSERT_EQ(duplicates.size(), 2u);
    EXPECT_EQ(duplicates[0].row, 3u);
    EXPECT_EQ(duplicates[0].first_row, 1u);
    EXPECT_EQ(duplicates[1].row, 4u);
    EXPECT_EQ(duplicates[1].first_row, 0u);
    EXPECT_TRUE(
        strictly_increasing<std::int64_t>(std::vector<std::uint32_t>{0, 0, 1}, std::vector<std::int64_t>{1, 2, 0}));
    EXPECT_FALSE(strictly_increasing<std::int64_t>(std::vector<std::uint32_t>{0, 0}, std::vector<std::int64_t>{1, 1}));
}

TEST(RowLineMapTest, KnowsTheLineOfEveryRow) {
    RowLineMap lines;
    for (const std::uint32_t line : {2u, 3u, 4u, 7u, 8u, 10u}) lines.add(line);
    RowLineMap more;
    for (const std::uint32_t line : {1u, 2u}) more.add(line);
    lines.append(more, 10);  // lines 11, 12
    std::vector<std::uint32_t> all;
    for (std::size_t r = 0; r < lines.size(); ++r) all.push_back(lines.line_of(r));
    EXPECT_EQ(all, (std::vector<std::uint32_t>{2, 3, 4, 7, 8, 10, 11, 12}));
    const auto kept = lines.filtered({true, false, true, true, false, true, true, false});
    std::vector<std::uint32_t> kept_lines;
    for (std::size_t r = 0; r < kept.size(); ++r) kept_lines.push_back(kept.line_of(r));
    EXPECT_EQ(kept_lines, (std::vector<std::uint32_t>{2, 4, 7, 10, 11}));
}

TEST(IntervalSeriesParserTest, GivesTheSameRowsAndMessagesAsTheGenericPath) {
    const std::string content =
        "meter_id,start,minutes,kwh,flags\n"
        "G1,2026-10-31T00:00:00+08:00,15,1.5,\n"
        "G1,2026-10-31T00:15:00+08:00,15,-0.25,estimated|tamper\n"
        "G1,2026-10-31T00:20:00+08:00,15,1,\n"
        "G1,2026-10-31T00:30:00+08:00,10,1,\n"
        "G1,2026-10-31T00:45:00,15,1,\n"
        "G1,2026-10-31T00:45:00+08:00,15,,Estimated\n"
        "G1,2026-10-30T16:15:00Z,15,2,\n"
        "G2,2026-10-31T01:00:00+08:00,60,1e9,\n"
        ",2026-10-31T01:00:00+08:00,60,1,\n"
        "G2,2026-10-31T02:00:00+08:00,60,,power_out\n";
    FakeStore store;
    store.rows["meters"]["G1"] = Row{};
    store.rows["meters"]["G2"] = Row{};

    ProblemLog generic_problems;
    std::vector<CheckedTable> tables;
    tables.push_back(check_table(*find_table("ami_interval"), "ami_interval.csv", content, generic_problems));
    std::vector<CheckedTariff> no_tariffs;
    StoredData generic_stored(store);
    ReferenceChecker generic_references(tables, no_tariffs, generic_stored, generic_problems);
    ASSERT_TRUE(generic_references.run().has_value());

    ProblemLog problems;
    auto parse = parse_interval_series("ami_interval.csv", content, {}, problems);
    reject_late_interval_rows(parse, content, {}, problems);
    EXPECT_EQ(sorted_messages(problems), sorted_messages(generic_problems));
    EXPECT_EQ(sorted_messages(problems),
              (Messages{
                  "ami_interval.csv:10:1: meter_id: required value is empty",
                  "ami_interval.csv:4:4: start: not on the 15-minute grid (intervals start at multiples of 15 minutes "
                  "from midnight UTC) (2026-10-31T00:20:00+08:00)",
                  "ami_interval.csv:5:30: minutes: not an allowed value, allowed: 5, 15, 30, 60 (10)",
                  "ami_interval.csv:6:4: start: not an instant (YYYY-MM-DDTHH:MM[:SS] with Z or +HH:MM offset) "
                  "(2026-10-31T00:45:00)",
                  "ami_interval.csv:7:34: flags: unknown flag 'Estimated', allowed: estimated, power_out, "
                  "clock_adjusted, overflow, partial, tamper (Estimated)",
                  "ami_interval.csv:8:1: meter_id: duplicate key, first on line 3 (G1, 2026-10-30T16:15:00Z)",
                  "ami_interval.csv:9:33: kwh: not a decimal number (digits with '.' as decimal point) (1e9)",
              }));
    const auto& rows = parse.rows;
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows.meter_ids, (std::vector<std::string>{"G1", "G2"}));
    EXPECT_EQ(rows.start[1], Instant::parse("2026-10-30T16:15:00Z")->unix_seconds());
    EXPECT_EQ(rows.kwh[1], -0.25);
    EXPECT_EQ(rows.flags[1], interval_estimated | interval_tamper);
    EXPECT_EQ(rows.minutes[2], 60);
    EXPECT_TRUE(std::isnan(rows.kwh[2]));
    EXPECT_EQ(rows.flags[2], interval_power_out);
    EXPECT_EQ(parse.lines.line_of(2), 11u);
}

}  // namespace
}  // namespace gridaudit
