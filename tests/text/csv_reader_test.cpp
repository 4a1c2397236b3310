// Tests of the RFC 4180 reader: what records and fields come out of each kind of input, where
// each field is (line, character column), and where malformed input is reported.
#include "text/csv_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gridaudit {
namespace {

using Records = std::vector<std::vector<std::string>>;

struct ReadAll {
    Records records;
    std::vector<std::uint32_t> lines;  // line of each record
    std::vector<std::string> raws;     // raw text of each record
    std::vector<std::string> errors;   // "line:column: what" of each malformed record
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> positions;  // (line, column) per field
};

ReadAll read_all(std::string_view input) {
    ReadAll out;
    CsvReader reader(input);
    for (CsvStatus status; (status = reader.next()) != CsvStatus::end;) {
        if (status == CsvStatus::malformed) {
            const auto& e = reader.error();
            out.errors.push_back(std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + std::string(e.what));
            out.raws.push_back(std::string(reader.record().raw));
            continue;
        }
        std::vector<std::string> fields;
        std::vector<std::pair<std::uint32_t, std::uint32_t>> positions;
        for (const auto& field : reader.record().fields) {
            fields.emplace_back(field.text);
            positions.emplace_back(field.line, field.column);
        }
        out.records.push_back(fields);
        out.positions.push_back(positions);
        out.lines.push_back(reader.record().line);
        out.raws.push_back(std::string(reader.record().raw));
    }
    return out;
}

struct RecordCase {
    const char* name;
    std::string input;
    Records expected;
    std::vector<std::uint32_t> lines;
};

TEST(CsvReaderTest, ReadsTheRecordsOfEachKindOfInput) {
    const std::string long_field(40, 'x');
    const std::vector<RecordCase> cases = {
        {"plain", "a,b,c\n1,2,3\n", {{"a", "b", "c"}, {"1", "2", "3"}}, {1, 2}},
        {"no newline at the end", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}, {1, 2}},
        {"crlf line ends", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}, {1, 2}},
        {"byte-order mark skipped",
         "\xEF\xBB\xBF"
         "a,b\n1,2\n",
         {{"a", "b"}, {"1", "2"}},
         {1, 2}},
        {"empty fields", "a,,c\n,\n", {{"a", "", "c"}, {"", ""}}, {1, 2}},
        {"trailing comma", "a,b,\n", {{"a", "b", ""}}, {1}},
        {"quoted comma", "\"a,b\",c\n", {{"a,b", "c"}}, {1}},
        {"doubled quotes", "\"say \"\"hi\"\"\",x\n", {{"say \"hi\"", "x"}}, {1}},
        {"only a doubled quote", "\"\"\"\"\n", {{"\""}}, {1}},
        {"quoted empty", "\"\",\"\"\n", {{"", ""}}, {1}},
        {"embedded newline", "\"a\nb\",c\nd,e\n", {{"a\nb", "c"}, {"d", "e"}}, {1, 3}},
        {"embedded crlf kept", "\"a\r\nb\"\r\nc\r\n", {{"a\r\nb"}, {"c"}}, {1, 3}},
        {"blank lines skipped", "a\n\n\r\nb\n\n", {{"a"}, {"b"}}, {1, 4}},
        {"quoted field at end without newline", "a,\"b\"", {{"a", "b"}}, {1}},
        {"long fields (16-byte scanning)", long_field + "," + long_field + "\n", {{long_field, long_field}}, {1}},
        {"utf-8 text", "名字,Zürich\n", {{"名字", "Zürich"}}, {1}},
        {"single empty quoted record", "\"\"\n", {{""}}, {1}},
        {"spaces are data", " a , b \n", {{" a ", " b "}}, {1}},
        {"empty input", "", {}, {}},
        {"only blank lines", "\n\r\n\n", {}, {}},
    };
    for (const auto& c : cases) {
        const auto result = read_all(c.input);
        EXPECT_EQ(result.records, c.expected) << c.name;
        EXPECT_EQ(result.lines, c.lines) << c.name;
        EXPECT_TRUE(result.errors.empty()) << c.name << ": " << result.errors.front();
    }
}

struct PositionCase {
    const char* name;
    std::string input;
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> positions;  // (line, column) per field
};

TEST(CsvReaderTest, GivesEachFieldItsLineAndCharacterColumn) {
    const std::string long_utf8 = "ééééééééééééééééééééé";  // 21 characters, 42 bytes: crosses 16-byte blocks
    const std::vector<PositionCase> cases = {
        {"ascii", "ab,c,,de\n", {{{1, 1}, {1, 4}, {1, 6}, {1, 7}}}},
        {"columns count characters, not bytes", "名字,x,é,y\n", {{{1, 1}, {1, 4}, {1, 6}, {1, 8}}}},
        {"long utf-8 field", long_utf8 + ",x\n", {{{1, 1}, {1, 23}}}},
        {"after a quoted multi-line field", "\"a\nbc\",d\ne,f\n", {{{1, 1}, {2, 5}}, {{3, 1}, {3, 3}}}},
        {"quoted utf-8", "\"名\",x\n", {{{1, 1}, {1, 5}}}},
        {"byte-order mark is not a character",
         "\xEF\xBB\xBF"
         "a,b\n",
         {{{1, 1}, {1, 3}}}},
        {"crlf", "a,b\r\nc\r\n", {{{1, 1}, {1, 3}}, {{2, 1}}}},
    };
    for (const auto& c : cases) EXPECT_EQ(read_all(c.input).positions, c.positions) << c.name;
}

struct ErrorCase {
    const char* name;
    std::string input;
    std::vector<std::string> errors;  // "line:column: what"
    Records records;                  // the good records around them
    std::vector<std::string> raws;    // raw text of every record, malformed ones included
};

TEST(CsvReaderTest, ReportsMalformedRecordsWithTheirPositionAndResumesOnTheNextLine) {
    const std::vector<ErrorCase> cases = {
        {"quote inside an unquoted field",
         "ab\"c,d\ne,f\n",
         {"1:3: quote inside an unquoted field"},
         {{"e", "f"}},
         {"ab\"c,d", "e,f"}},
        {"text after a closing quote",
         "x,\"ab\"c,d\ne\n",
         {"1:7: text after the closing quote of a field"},
         {{"e"}},
         {"x,\"ab\"c,d", "e"}},
        {"unterminated quote at the end",
         "a\nb,\"cd\nef\n",
         {"2:3: quoted field not closed before the end of the file"},
         {{"a"}},
         {"a", "b,\"cd\nef"}},
        {"lone carriage return",
         "a\rb,c\nd\n",
         {"1:2: carriage return not followed by a line feed"},
         {{"d"}},
         {"a\rb,c", "d"}},
        {"error after a multi-line field counts lines",
         "\"x\ny\"z\nok\n",
         {"2:3: text after the closing quote of a field"},
         {{"ok"}},
         {"\"x\ny\"z", "ok"}},
        {"error position in characters", "é,ü\"\n", {"1:4: quote inside an unquoted field"}, {}, {"é,ü\""}},
    };
    for (const auto& c : cases) {
        const auto result = read_all(c.input);
        EXPECT_EQ(result.errors, c.errors) << c.name;
        EXPECT_EQ(result.records, c.records) << c.name;
        EXPECT_EQ(result.raws, c.raws) << c.name;
    }
}

TEST(CsvReaderTest, LineNumbersAfterAnErrorStayRight) {
    const auto result = read_all("a\nb\"x\nc\n\"d\ne\"\nf\n");
    EXPECT_EQ(result.records, (Records{{"a"}, {"c"}, {"d\ne"}, {"f"}}));
    EXPECT_EQ(result.lines, (std::vector<std::uint32_t>{1, 3, 4, 6}));
}

TEST(CsvReaderTest, RawTextIsTheRecordWithoutItsLineEnd) {
    const auto result = read_all("a,\"b\nc\"\r\nd\n");
    EXPECT_EQ(result.raws, (std::vector<std::string>{"a,\"b\nc\"", "d"}));
}

TEST(CsvReaderTest, StartsAtAGivenPositionWithAGivenLineNumber) {
    const std::string input = "h1,h2\nx,y\nz,w\n";
    CsvReader reader(input, {6, 2});
    ASSERT_EQ(reader.next(), CsvStatus::record);
    EXPECT_EQ(reader.record().line, 2u);
    EXPECT_EQ(reader.record().fields[0].text, "x");
    EXPECT_EQ(reader.record().offset, 6u);
    ASSERT_EQ(reader.next(), CsvStatus::record);
    EXPECT_EQ(reader.position().offset, input.size());
    EXPECT_EQ(reader.position().line, 4u);
    EXPECT_EQ(reader.next(), CsvStatus::end);
}

TEST(CsvReaderTest, SerialisedRecordsReadBackTheSame) {
    const Records records = {{"plain", "with,comma", "with \"quote\"", "multi\nline", "crlf\r\nin", "", " space "}};
    std::string text;
    for (const auto& record : records) {
        for (std::size_t i = 0; i < record.size(); ++i) {
            if (i > 0) text += ',';
            append_csv_field(text, record[i]);
        }
        text += "\r\n";
    }
    EXPECT_EQ(read_all(text).records, records);
}

TEST(CsvReaderTest, FieldLongerThanTheLimitMakesItsRecordMalformed) {
    const std::string big(max_field_bytes + 1, 'a');
    const auto all = read_all("a,b\n1," + big + "\n\"" + big + "\",2\n3,4\n");
    EXPECT_EQ(all.errors, (std::vector<std::string>{"2:3: a field longer than 65536 bytes",
                                                    "3:1: a field longer than 65536 bytes"}));
    EXPECT_EQ(all.records, (Records{{"a", "b"}, {"3", "4"}}));
    EXPECT_EQ(read_all("a\n" + std::string(max_field_bytes, 'a') + "\n").records.size(), 2u);
}

TEST(CsvReaderTest, LineLongerThanTheLimitStopsTheReadingOfTheFile) {
    // Fields within the limit, a line over it: the reader gives up without scanning the rest.
    std::string line;
    while (line.size() <= max_record_bytes) line += std::string(1000, 'x') + ",";
    const auto all = read_all("a,b\n" + line + "\n3,4\n");
    EXPECT_EQ(all.errors,
              (std::vector<std::string>{
                  "2:1: a line longer than 1048576 bytes: not a CSV export, the rest of the file is not read"}));
    EXPECT_EQ(all.raws, (std::vector<std::string>{"a,b", ""}));  // the record over the limit is not kept
    EXPECT_EQ(all.records, (Records{{"a", "b"}}));

    const std::string zeros(100'000, '\0');
    CsvReader reader(zeros);
    reader.limit_record_bytes(max_header_bytes);
    ASSERT_EQ(reader.next(), CsvStatus::malformed);
    EXPECT_TRUE(reader.error().whole_file);
    EXPECT_EQ(reader.error().what,
              "a line longer than 65536 bytes: not a CSV export, the rest of the file is not read");
    EXPECT_EQ(reader.next(), CsvStatus::end);
}

TEST(CsvReaderTest, QuotedFieldOpenPastTheLimitStopsTheReadingOfTheFile) {
    const auto all = read_all("a\n\"" + std::string(max_record_bytes + 10, 'y') + "\n");
    EXPECT_EQ(all.errors,
              (std::vector<std::string>{
                  "2:1: a line longer than 1048576 bytes: not a CSV export, the rest of the file is not read"}));
}

}  // namespace
}  // namespace gridaudit
