// Tariff documents at import: each is read with the tariff engine's own loader (the one an audit
// uses on the stored documents), so what the engine refuses is rejected at import like a row, with
// the loader's file:line:column message; and documents are checked as a book with the store's.
#include "ingest/tariff_documents.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "fake_store.hpp"
#include "ingest/import_folder.hpp"
#include "sample_export.hpp"
#include "tariff/tariff_book.hpp"

namespace gridaudit {
namespace {

std::vector<std::string> messages_of(const ValidatedFolder& validated) {
    std::vector<std::string> messages;
    for (const auto& problem : validated.problems) messages.push_back(problem.to_string());
    return messages;
}

ValidatedFolder validate(Store& store, const ExportFiles& files) {
    auto validated = validate_files(store, "sample", as_input_files(files), ImportFolderOptions{});
    EXPECT_TRUE(validated.has_value()) << validated.error().message();
    return validated ? std::move(*validated) : ValidatedFolder{};
}

// The first problem of `file`, "" when it has none.
std::string message_of(const ValidatedFolder& validated, std::string_view file) {
    for (const auto& problem : validated.problems)
        if (problem.file == file) return problem.to_string();
    return "";
}

bool has_tariff(const ValidatedFolder& validated, std::string_view id) {
    return std::any_of(validated.batch.tariffs.begin(), validated.batch.tariffs.end(),
                       [&](const TariffDocument& document) { return document.id == id; });
}

// A residential tariff whose energy price is negative.
ExportFiles export_with_negative_price() {
    auto files = sample_export();
    files["tariffs/res.json"] =
        "{\"format\": \"gridaudit-tariff/1\", \"id\": \"RES\", \"name\": \"Residential\", \"currency\": \"CNY\",\n"
        " \"energy\": {\"price\": -0.5283}}\n";
    return files;
}

TEST(TariffDocumentsTest, TariffWithNegativePriceIsRejectedAtImport) {
    FakeStore store;
    const auto validated = validate(store, export_with_negative_price());
    const auto messages = messages_of(validated);
    EXPECT_EQ(message_of(validated, "tariffs/res.json"),
              "tariffs/res.json:2:22: energy.price: must not be negative (-0.5283)");
    EXPECT_FALSE(has_tariff(validated, "RES"));
    EXPECT_TRUE(has_tariff(validated, "COM"));
    // Customers of the rejected tariff are rejected with it, and say so.
    EXPECT_NE(std::find(messages.begin(), messages.end(),
                        "customers.csv:2:37: tariff_id: references tariffs/res.json, which was rejected (RES)"),
              messages.end());
}

TEST(TariffDocumentsTest, TariffWithNegativePriceIsCountedAndStrictImportRefusesTheBatch) {
    TemporaryFolder temporary;
    const auto folder = temporary.write("export", export_with_negative_price());
    FakeStore store;
    ImportFolderOptions strict;
    strict.strict = true;
    const auto refused = import_folder(store, folder, strict);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().kind(), ErrorClass::user);
    EXPECT_TRUE(store.applied.empty());

    const auto report = import_folder(store, folder, {});
    ASSERT_TRUE(report.has_value()) << report.error().message();
    ASSERT_EQ(store.applied.size(), 1u);
    EXPECT_FALSE(store.tariff_documents.contains("RES"));
    EXPECT_TRUE(store.tariff_documents.contains("COM"));
    const auto file = std::find_if(report->files.begin(), report->files.end(),
                                   [](const FileReport& f) { return f.file == "tariffs/res.json"; });
    ASSERT_NE(file, report->files.end());
    EXPECT_EQ(file->rows_rejected, 1u);
    EXPECT_GT(report->rows_rejected(), 0u);  // the exit code is 1
    const std::string errors = read_text_file(temporary.path() / "export.import-report" / "errors.txt");
    EXPECT_NE(errors.find("tariffs/res.json:2:22: energy.price: must not be negative (-0.5283)\n"), std::string::npos)
        << errors;
}

TEST(TariffDocumentsTest, TariffWithDuplicateIdMemberIsRejectedAtImport) {
    auto files = sample_export();
    files["tariffs/com.json"] = tariff_json("COM", R"("id": "RES")");
    FakeStore store;
    const auto validated = validate(store, files);
    EXPECT_EQ(message_of(validated, "tariffs/com.json"), "tariffs/com.json:2:31: id: duplicate member");
    EXPECT_FALSE(has_tariff(validated, "COM"));
}

TEST(TariffDocumentsTest, TariffNestedVeryDeeplyIsRejectedAtImport) {
    auto files = sample_export();
    const std::size_t depth = 100000;
    files["tariffs/com.json"] = tariff_json("COM", "\"x\": " + std::string(depth, '[') + std::string(depth, ']'));
    FakeStore store;
    const auto validated = validate(store, files);
    EXPECT_EQ(message_of(validated, "tariffs/com.json"),
              "tariffs/com.json:2:99: nested deeper than 64 levels of objects and arrays (a tariff needs far fewer)");
    EXPECT_FALSE(has_tariff(validated, "COM"));
}

TEST(TariffDocumentsTest, TariffVersionOverlappingAStoredVersionIsRejectedAtImport) {
    FakeStore store;
    store.tariff_documents["RES"] = TariffDocument{"RES", "res.json", tariff_json("RES"), ""};
    auto files = sample_export();
    files.erase("tariffs/res.json");
    files["tariffs/res_2027.json"] = tariff_json("RES", R"("effective_from": "2027-01-01")");
    const auto validated = validate(store, files);
    EXPECT_EQ(messages_of(validated),
              (std::vector<std::string>{"tariffs/res_2027.json: tariff RES: versions overlap: tariffs/res.json (all "
                                        "dates) and tariffs/res_2027.json (from 2027-01-01) are both in force on "
                                        "2027-01-01"}));
    EXPECT_FALSE(has_tariff(validated, "RES"));
    // The stored documents and the accepted ones make a book the audit can use.
    std::vector<TariffDocument> book_documents = validated.batch.tariffs;
    book_documents.push_back(store.tariff_documents["RES"]);
    EXPECT_TRUE(TariffBook::from_documents(book_documents).has_value());
}

TEST(TariffDocumentsTest, TariffReplacingItsStoredVersionIsAccepted) {
    FakeStore store;
    store.tariff_documents["RES"] = TariffDocument{"RES", "res.json", tariff_json("RES"), ""};
    const auto validated = validate(store, sample_export());
    EXPECT_EQ(messages_of(validated), std::vector<std::string>{});
    EXPECT_TRUE(has_tariff(validated, "RES"));
}

TEST(TariffDocumentsTest, TariffReferencingAMissingCalendarIsRejectedAtImport) {
    auto files = sample_export();
    files["tariffs/com.json"] = tariff_json("COM", R"("calendar": "CN-2026")");
    FakeStore store;
    const auto validated = validate(store, files);
    EXPECT_EQ(message_of(validated, "tariffs/com.json"),
              "tariffs/com.json: calendar: tariff COM references calendar 'CN-2026', which is not loaded (no calendar "
              "is loaded)");
    EXPECT_FALSE(has_tariff(validated, "COM"));

    files["tariffs/cn_2026.json"] = R"({"kind": "calendar", "id": "CN-2026", "holidays": ["2026-10-01"]})";
    const auto with_calendar = validate(store, files);
    EXPECT_EQ(messages_of(with_calendar), std::vector<std::string>{});
    EXPECT_TRUE(has_tariff(with_calendar, "COM"));
    EXPECT_TRUE(has_tariff(with_calendar, "CN-2026"));
}

TEST(TariffDocumentsTest, ControlCharactersInATariffAreRefusedAndNeverPrintedRaw) {
    auto files = sample_export();
    files["tariffs/com.json"] =
        R"({"format": "gridaudit-tariff/1", "id": "COM", "name": "Com\u001b[2Jmercial\u0007", "currency": "CNY",
 "energy": {"price": 0.65}})";
    FakeStore store;
    const auto validated = validate(store, files);
    const std::string message = message_of(validated, "tariffs/com.json");
    EXPECT_EQ(message.find('\x1b'), std::string::npos) << message;
    EXPECT_EQ(message, R"(tariffs/com.json:1:55: name: must not contain control characters ("Com\x1B[2Jmercial\x07"))");
    EXPECT_FALSE(has_tariff(validated, "COM"));
}

}  // namespace
}  // namespace gridaudit
