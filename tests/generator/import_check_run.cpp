// Developer tool, not a test: validates a generated export folder with the real importer (the
// ingest layer, in an in-memory store) and prints every problem it reports. The generator's own
// tests deliberately use an independent checker; this tool catches disagreements between the two.
//   import_check_run FOLDER
#include <cstdio>
#include <fmt/format.h>

#include "ingest/import_folder.hpp"
#include "store/store.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: import_check_run FOLDER\n");
        return 1;
    }
    const std::string location = std::string(argv[1]) + ".check.db";
    std::remove(location.c_str());
    auto store = gridaudit::Store::open(location);
    if (!store) {
        std::fprintf(stderr, "error: %s\n", store.error().message().c_str());
        return 2;
    }
    gridaudit::ImportFolderOptions options;
    options.write_report = false;
    auto validated = gridaudit::validate_folder(**store, argv[1], options);
    if (!validated) {
        std::fprintf(stderr, "error: %s\n", validated.error().message().c_str());
        return 2;
    }
    fmt::print("{} problems{}\n", validated->problems.size(), validated->stopped ? " (import stopped)" : "");
    for (std::size_t i = 0; i < validated->problems.size() && i < 50; ++i)
        fmt::print("  {}\n", validated->problems[i].to_string());
    std::remove(location.c_str());
    std::remove((location + "-wal").c_str());
    std::remove((location + "-shm").c_str());
    return validated->problems.empty() ? 0 : 1;
}
