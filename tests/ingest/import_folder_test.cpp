// Tests of importing a folder: what reaches the store in default and strict mode, the report
// folder (errors.txt, rejected/<file>), required files, idempotency through the content hash,
// and where reports go.
#include "ingest/import_folder.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "fake_store.hpp"
#include "ingest/content_hash.hpp"
#include "sample_export.hpp"

namespace gridaudit {
namespace {

// The sample with two bad customers (one of them referenced by a meter) and a bad daily row.
ExportFiles export_with_problems() {
    auto files = sample_export();
    files["customers.csv"] += "C3,\"Zhao, Lei\",U2,A1,residental,0.22,-3,RES,active,2019-04-01,\n";
    files["customers.csv"] += "C4,Qian,U2,A1,residential,0.22,8,RES,active,2019-04-01,\n";
    files["meters.csv"] += "M3,C3,,DDZY71,2.0,1,5,1,1,1,2019-04-01\n";
    files["ami_daily.csv"] += "M2,2026-10-31,-1,0\n";
    return files;
}

const std::string expected_errors =
    "customers.csv:4:22: category: unknown code, allowed: residential, commercial, industrial, large_industrial, "
    "agricultural, temporary (residental)\n"
    "customers.csv:4:38: contracted_kva: negative value not allowed (-3)\n"
    "meters.csv:5:4: customer_id: references customers.csv line 4, which was rejected (C3)\n"
    "ami_daily.csv:5:15: import_register: negative value not allowed (-1)\n";

TEST(ImportFolderTest, CommitsTheValidRowsAndReportsTheRest) {
    TemporaryFolder temporary;
    const auto folder = temporary.write("export-2026-10", export_with_problems());
    FakeStore store;
    const auto report = import_folder(store, folder, {});
    ASSERT_TRUE(report.has_value()) << report.error().message();

    ASSERT_EQ(store.applied.size(), 1u);
    EXPECT_EQ(store.rows["customers"].size(), 3u);  // C1, C2, C4
    EXPECT_FALSE(store.rows["customers"].contains("C3"));
    EXPECT_EQ(store.rows["meters"].size(), 3u);
    EXPECT_EQ(store.applied[0].daily.size(), 3u);
    EXPECT_EQ(store.applied[0].rows_rejected, 3u);

    EXPECT_EQ(report->rows_rejected(), 3u);
    EXPECT_EQ(report->problem_count, 4u);
    EXPECT_EQ(report->messages.size(), 4u);
    ASSERT_TRUE(report->outcome.has_value());
    EXPECT_FALSE(report->outcome->already_imported);
    const auto customers = std::find_if(report->files.begin(), report->files.end(),
                                        [](const FileReport& file) { return file.file == "customers.csv"; });
    ASSERT_NE(customers, report->files.end());
    EXPECT_EQ(customers->rows_read, 4u);
    EXPECT_EQ(customers->rows_accepted, 3u);
    EXPECT_EQ(customers->rows_rejected, 1u);

    const auto report_dir = temporary.path() / "export-2026-10.import-report";
    EXPECT_EQ(report->report_dir, report_dir);
    EXPECT_EQ(read_text_file(report_dir / "errors.txt"), expected_errors);
    EXPECT_EQ(read_text_file(report_dir / "rejected" / "customers.csv"),
              "customer_id,name,unit_id,node_id,category,voltage_kv,contracted_kva,tariff_id,status,supply_start,"
              "supply_end,x_error\n"
              "C3,\"Zhao, Lei\",U2,A1,residental,0.22,-3,RES,active,2019-04-01,,\"category: unknown code, allowed: "
              "residential, commercial, industrial, large_industrial, agricultural, temporary (residental); "
              "contracted_kva: negative value not allowed (-3)\"\n");
    EXPECT_EQ(read_text_file(report_dir / "rejected" / "meters.csv"),
              "meter_id,customer_id,node_id,model,accuracy_class,phases,rated_current,ct_ratio,pt_ratio,multiplier,"
              "installed_on,x_error\n"
              "M3,C3,,DDZY71,2.0,1,5,1,1,1,2019-04-01,\"customer_id: references customers.csv line 4, which was "
              "rejected (C3)\"\n");
    EXPECT_EQ(read_text_file(report_dir / "rejected" / "ami_daily.csv"),
              "meter_id,day,import_register,export_register,x_error\n"
              "M2,2026-10-31,-1,0,\"import_register: negative value not allowed (-1)\"\n");
    EXPECT_FALSE(std::filesystem::exists(report_dir / "rejected" / "network.csv"));
    // Nothing is written inside the export folder.
    EXPECT_FALSE(std::filesystem::exists(folder / "errors.txt"));
}

TEST(ImportFolderTest, StrictImportWritesNothingToTheStoreWhenAnythingIsWrong) {
    TemporaryFolder temporary;
    const auto folder = temporary.write("export", export_with_problems());
    FakeStore store;
    ImportFolderOptions options;
    options.strict = true;
    const auto report = import_folder(store, folder, options);
    ASSERT_FALSE(report.has_value());
    EXPECT_EQ(report.error().kind(), ErrorClass::user);
    EXPECT_NE(report.error().message().find("4 problems; nothing was written to the store"), std::string::npos)
        << report.error().message();
    EXPECT_NE(report.error().message().find("customers.csv:4:38: contracted_kva: negative value not allowed (-3)"),
              std::string::npos);
    EXPECT_TRUE(store.applied.empty());
    EXPECT_EQ(read_text_file(temporary.path() / "export.import-report" / "errors.txt"), expected_errors);
}

TEST(ImportFolderTest, StrictImportOfACleanFolderWrites) {
    TemporaryFolder temporary;
    const auto folder = temporary.write("export", sample_export());
    FakeStore store;
    ImportFolderOptions options;
    options.strict = true;
    const auto report = import_folder(store, folder, options);
    ASSERT_TRUE(report.has_value()) << report.error().message();
    EXPECT_EQ(store.applied.size(), 1u);
    EXPECT_EQ(report->problem_count, 0u);
    EXPECT_TRUE(report->report_dir.empty());
    EXPECT_FALSE(std::filesystem::exists(temporary.path() / "export.import-report"));
}

TEST(ImportFolderTest, AWholeFileProblemStopsTheImport) {
    TemporaryFolder temporary;
    auto files = sample_export();
    files["bills.csv"] = "bill_id,customer_id,period,kwh,energy_charge,total,issued_on\n";
    const auto folder = temporary.write("export", files);
    FakeStore store;
    const auto report = import_folder(store, folder, {});
    ASSERT_FALSE(report.has_value());
    EXPECT_EQ(report.error().kind(), ErrorClass::user);
    EXPECT_TRUE(store.applied.empty());
    EXPECT_EQ(read_text_file(temporary.path() / "export.import-report" / "errors.txt"),
              "bills.csv:1:1: kwh_total: required column missing from the header\n"
              "bills.csv:1:28: kwh: unknown column: bills.csv has no such column (name extra columns with an x_ "
              "prefix)\n");
}

TEST(ImportFolderTest, ImportingTheSameFolderTwiceChangesNothing) {
    TemporaryFolder temporary;
    const auto folder = temporary.write("export", sample_export());
    FakeStore store;
    const auto first = import_folder(store, folder, {});
    const auto second = import_folder(store, folder, {});
    ASSERT_TRUE(first.has_value() && second.has_value());
    EXPECT_EQ(first->content_hash, second->content_hash);
    EXPECT_EQ(first->content_hash.size(), 64u);
    EXPECT_FALSE(first->outcome->already_imported);
    EXPECT_TRUE(second->outcome->already_imported);
    EXPECT_EQ(store.applied.size(), 1u);
}

TEST(ImportFolderTest, ALaterPartialExportNeedsOnlyWhatChanged) {
    TemporaryFolder temporary;
    FakeStore store;
    ASSERT_TRUE(import_folder(store, temporary.write("first", sample_export()), {}).has_value());
    const ExportFiles later = {{"ami_daily.csv", "meter_id,day,import_register\nM1,2026-11-01,1240\n"}};
    const auto report = import_folder(store, temporary.write("later", later), {});
    ASSERT_TRUE(report.has_value()) << report.error().message();
    EXPECT_EQ(report->problem_count, 0u);
    ASSERT_EQ(store.applied.size(), 2u);
    EXPECT_EQ(store.applied[1].daily.size(), 1u);
}

TEST(ImportFolderTest, ContentHashDependsOnEveryNameAndByte) {
    const auto hash = [](const ExportFiles& files) { return content_hash(as_input_files(files)).value(); };
    const ExportFiles base = {{"a.csv", "x,y\n1,2\n"}, {"b.csv", "z\n"}};
    ExportFiles changed_byte = base;
    changed_byte["b.csv"] = "y\n";
    ExportFiles renamed = {{"a.csv", "x,y\n1,2\n"}, {"c.csv", "z\n"}};
    ExportFiles moved_boundary = {{"a.csv", "x,y\n1,2\nz"}, {"b.csv", "\n"}};
    EXPECT_EQ(hash(base), hash(base));
    EXPECT_NE(hash(base), hash(changed_byte));
    EXPECT_NE(hash(base), hash(renamed));
    EXPECT_NE(hash(base), hash(moved_boundary));
    EXPECT_EQ(content_hash(as_input_files(base), 1).value(), content_hash(as_input_files(base), 4).value());
}

TEST(ImportFolderTest, ValidationAloneMaySkipTheContentHash) {
    FakeStore store;
    ImportFolderOptions options;
    options.hash_content = false;
    const auto unhashed = validate_files(store, "sample", as_input_files(sample_export()), options);
    const auto hashed = validate_files(store, "sample", as_input_files(sample_export()), {});
    ASSERT_TRUE(unhashed.has_value() && hashed.has_value());
    EXPECT_TRUE(unhashed->batch.content_hash.empty());
    EXPECT_EQ(hashed->batch.content_hash, content_hash(as_input_files(sample_export())).value());
}

TEST(ImportFolderTest, AStaleReportIsClearedByACleanImport) {
    TemporaryFolder temporary;
    FakeStore store;
    const auto folder = temporary.write("export", export_with_problems());
    ASSERT_TRUE(import_folder(store, folder, {}).has_value());
    const auto report_dir = temporary.path() / "export.import-report";
    ASSERT_TRUE(std::filesystem::exists(report_dir / "errors.txt"));
    std::filesystem::remove_all(folder);
    const auto clean = temporary.write("export", sample_export());
    ASSERT_TRUE(import_folder(store, clean, {}).has_value());
    EXPECT_FALSE(std::filesystem::exists(report_dir / "errors.txt"));
    EXPECT_FALSE(std::filesystem::exists(report_dir / "rejected" / "customers.csv"));
}

TEST(ImportFolderTest, FilesOutsideTheContractAreIgnoredAndListed) {
    TemporaryFolder temporary;
    auto files = sample_export();
    files["truth.csv"] = "subject,anomaly\n";
    files["Customers.CSV"] = "whatever\n";
    files["tariffs/readme.txt"] = "notes\n";
    const auto folder = temporary.write("export", files);
    FakeStore store;
    auto validated = validate_folder(store, folder, {});
    ASSERT_TRUE(validated.has_value()) << validated.error().message();
    EXPECT_EQ(validated->report.ignored_files,
              (std::vector<std::string>{"Customers.CSV", "tariffs/readme.txt", "truth.csv"}));
    EXPECT_TRUE(validated->problems.empty());
}

TEST(ImportFolderTest, ReportsGoNextToTheExportFolder) {
    EXPECT_EQ(default_report_dir("/data/exports/2026-10"), "/data/exports/2026-10.import-report");
    EXPECT_EQ(default_report_dir("/data/exports/2026-10/"), "/data/exports/2026-10.import-report");
    EXPECT_EQ(default_report_dir("/data/exports/2026-10/."), "/data/exports/2026-10.import-report");
}

TEST(ImportFolderTest, AFolderThatIsNotThereIsAUserError) {
    FakeStore store;
    const auto report = import_folder(store, "/nonexistent/gridaudit/export", {});
    ASSERT_FALSE(report.has_value());
    EXPECT_EQ(report.error().kind(), ErrorClass::user);
}

TEST(ImportFolderTest, ReportDirectoryCanBeChosen) {
    TemporaryFolder temporary;
    const auto folder = temporary.write("export", export_with_problems());
    FakeStore store;
    ImportFolderOptions options;
    options.report_dir = temporary.path() / "reports" / "october";
    options.max_messages = 2;
    const auto report = import_folder(store, folder, options);
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->messages.size(), 2u);
    EXPECT_EQ(report->problem_count, 4u);
    EXPECT_EQ(read_text_file(options.report_dir / "errors.txt"), expected_errors);
}

// Imports `folder` without --strict and returns errors.txt; expects a user error (exit code 1)
// and nothing written to the store.
std::string refused_import(const std::filesystem::path& folder, const std::filesystem::path& report_dir) {
    FakeStore store;
    const auto report = import_folder(store, folder, {});
    EXPECT_FALSE(report.has_value());
    if (!report) {
        EXPECT_EQ(report.error().kind(), ErrorClass::user) << report.error().message();
    }
    EXPECT_TRUE(store.applied.empty());
    return std::filesystem::exists(report_dir / "errors.txt") ? read_text_file(report_dir / "errors.txt") : "";
}

TEST(ImportFolderTest, DanglingSymlinkUnderAContractNameIsAFileProblemNotIgnored) {
    TemporaryFolder temporary;
    auto files = sample_export();
    files.erase("bills.csv");
    const auto folder = temporary.write("export", files);
    std::filesystem::create_symlink(temporary.path() / "nowhere.csv", folder / "bills.csv");
    FakeStore store;
    const auto validated = validate_folder(store, folder, {});
    ASSERT_TRUE(validated.has_value());
    EXPECT_TRUE(validated->report.ignored_files.empty());
    EXPECT_EQ(refused_import(folder, temporary.path() / "export.import-report"),
              "bills.csv: cannot be read: a symbolic link to nothing\n");
}

TEST(ImportFolderTest, LoopingSymlinkUnderAContractNameIsAFileProblemNotIgnored) {
    TemporaryFolder temporary;
    auto files = sample_export();
    files.erase("payments.csv");
    const auto folder = temporary.write("export", files);
    std::filesystem::create_symlink(folder / "payments.csv", folder / "payments.csv");
    EXPECT_EQ(refused_import(folder, temporary.path() / "export.import-report"),
              "payments.csv: cannot be read: cannot open: Too many levels of symbolic links\n");
}

TEST(ImportFolderTest, FolderNamedLikeAContractCsvIsAFileProblemNotIgnored) {
    TemporaryFolder temporary;
    auto files = sample_export();
    files.erase("meter_events.csv");
    const auto folder = temporary.write("export", files);
    std::filesystem::create_directory(folder / "meter_events.csv");
    EXPECT_EQ(refused_import(folder, temporary.path() / "export.import-report"),
              "meter_events.csv: cannot be read: a folder, not a regular file\n");
}

TEST(ImportFolderTest, TariffsAsAFileIsAFileProblemNotIgnored) {
    TemporaryFolder temporary;
    auto files = sample_export();
    files.erase("tariffs/com.json");
    files.erase("tariffs/res.json");
    files["tariffs"] = "{}";
    const auto folder = temporary.write("export", files);
    EXPECT_EQ(refused_import(folder, temporary.path() / "export.import-report"),
              "tariffs: not a folder: tariff documents go in tariffs/<name>.json\n");
}

TEST(ImportFolderTest, TariffDocumentThatIsADanglingSymlinkIsAFileProblem) {
    TemporaryFolder temporary;
    const auto folder = temporary.write("export", sample_export());
    std::filesystem::create_symlink(temporary.path() / "gone.json", folder / "tariffs" / "extra.json");
    EXPECT_EQ(refused_import(folder, temporary.path() / "export.import-report"),
              "tariffs/extra.json: cannot be read: a symbolic link to nothing\n");
}

TEST(ImportFolderTest, UnreadableFileIsAFileProblemWithExitCodeOne) {
    TemporaryFolder temporary;
    const auto folder = temporary.write("export", sample_export());
    std::filesystem::permissions(folder / "staff.csv", std::filesystem::perms::none);
    const int fd = ::open((folder / "staff.csv").c_str(), O_RDONLY);
    if (fd >= 0) {
        ::close(fd);
        GTEST_SKIP() << "running as a user whom permissions do not deny (root): run as another user to test";
    }
    EXPECT_EQ(refused_import(folder, temporary.path() / "export.import-report"),
              "staff.csv: cannot be read: cannot open: Permission denied\n");
}

TEST(ImportFolderTest, SparseFileOfNulBytesWithoutALineEndIsRefusedWithASmallReport) {
    TemporaryFolder temporary;
    auto files = sample_export();
    files.erase("ami_daily.csv");
    const auto folder = temporary.write("export", files);
    { std::ofstream create(folder / "ami_daily.csv"); }
    std::filesystem::resize_file(folder / "ami_daily.csv", std::uintmax_t{64} << 20);  // 64 MiB of NUL, sparse
    FakeStore store;
    const auto report = import_folder(store, folder, {});
    ASSERT_FALSE(report.has_value());
    EXPECT_EQ(report.error().kind(), ErrorClass::user);
    EXPECT_LT(report.error().message().size(), 1000u) << report.error().message();
    EXPECT_TRUE(store.applied.empty());
    const auto report_dir = temporary.path() / "export.import-report";
    EXPECT_EQ(read_text_file(report_dir / "errors.txt"),
              "ami_daily.csv:1:1: header: a line longer than 65536 bytes: not a CSV export, the rest of the file is "
              "not read\n");
    std::uintmax_t report_bytes = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(report_dir))
        if (entry.is_regular_file()) report_bytes += entry.file_size();
    EXPECT_LT(report_bytes, 1000u);
}

TEST(ImportFolderTest, TerminalEscapesInAHeaderArePrintedEscapedAndCut) {
    auto files = sample_export();
    const std::string evil = "\x1b]0;owned\x07\x1b[2J" + std::string(200, 'z');
    files["staff.csv"] = "staff_id,name,unit_id,role," + evil + "\nR1,Wang,U2,reader,1\n";
    FakeStore store;
    auto validated = validate_files(store, "sample", as_input_files(files), {});
    ASSERT_TRUE(validated.has_value());
    ASSERT_EQ(validated->report.messages.size(), 1u);
    EXPECT_EQ(validated->report.messages[0],
              "staff.csv:1:28: \\x1B]0;owned\\x07\\x1B[2J" + std::string(66, 'z') +
                  "...: unknown column: staff.csv has no such column (name extra columns with an x_ prefix)");
}

TEST(ImportFolderTest, ControlCharactersInDataAreRefusedAndNeverPrintedRaw) {
    auto files = sample_export();
    files["customers.csv"] += "C3,\"Zhao\x1b[2J\x07\",U2,A1,residential,0.22,8,RES,active,2019-04-01,\n";
    files["ami_daily.csv"] +=
        "M\x1b"
        "1,2026-10-31,1,0\n";
    FakeStore store;
    auto validated = validate_files(store, "sample", as_input_files(files), {});
    ASSERT_TRUE(validated.has_value());
    EXPECT_EQ(validated->report.messages,
              (std::vector<std::string>{
                  "customers.csv:4:4: name: control character U+001B not allowed in text (tab, line breaks, escape and "
                  "other control characters are refused) (Zhao\\x1B[2J\\x07)",
                  "ami_daily.csv:5:1: meter_id: control character U+001B not allowed in text (tab, line breaks, escape "
                  "and other control characters are refused) (M\\x1B1)"}));
    const std::string customers_rejected = validated->rejected.front().rows.front().reason;
    EXPECT_EQ(customers_rejected.find('\x1b'), std::string::npos);
}

TEST(ImportFolderTest, NamesOfIgnoredFilesAreEscaped) {
    TemporaryFolder temporary;
    auto files = sample_export();
    files["notes\x1b[31m.txt"] = "x\n";
    const auto folder = temporary.write("export", files);
    FakeStore store;
    auto validated = validate_folder(store, folder, {});
    ASSERT_TRUE(validated.has_value());
    EXPECT_EQ(validated->report.ignored_files, std::vector<std::string>{"notes\\x1B[31m.txt"});
}

TEST(ImportFolderTest, FolderNameWithTerminalEscapesIsPrintedEscaped) {
    TemporaryFolder temporary;
    auto files = sample_export();
    files["bills.csv"] = "bill_id\n";  // a bad header: the import is refused with a message naming the folder
    const auto folder = temporary.write("export\x1b[2J", files);
    FakeStore store;
    const auto report = import_folder(store, folder, {});
    ASSERT_FALSE(report.has_value());
    EXPECT_EQ(report.error().message().find('\x1b'), std::string::npos) << report.error().message();
    EXPECT_NE(report.error().message().find("export\\x1B[2J"), std::string::npos) << report.error().message();
}

}  // namespace
}  // namespace gridaudit
