// Developer tool, not a test: generates a synthetic utility and prints its summary, so sizes and
// timings can be measured outside the unit tests (which never time anything).
//   generator_run OUT [customers] [days] [seed] [last-day]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

#include "generator/synthetic_utility.hpp"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: generator_run OUT [customers] [days] [seed] [last-day]\n");
        return 1;
    }
    gridaudit::GeneratorOptions options;
    options.out = argv[1];
    if (argc > 2) options.customers = std::atoi(argv[2]);
    if (argc > 3) options.days = std::atoi(argv[3]);
    if (argc > 4) options.seed = std::strtoull(argv[4], nullptr, 10);
    if (argc > 5) {
        const auto last_day = gridaudit::CivilDate::parse(argv[5]);
        if (!last_day) {
            std::fprintf(stderr, "last day must be YYYY-MM-DD\n");
            return 1;
        }
        options.last_day = *last_day;
    }
    const auto started = std::chrono::steady_clock::now();
    const auto summary = gridaudit::generate_utility(options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!summary) {
        std::fprintf(stderr, "error: %s\n", summary.error().message().c_str());
        return gridaudit::exit_code(summary.error().kind());
    }
    fmt::print("{} customers, {} meters, {} areas, {} .. {}\n", summary->customers, summary->meters, summary->areas,
               summary->first_day.to_string(), summary->last_day.to_string());
    for (const auto& file : summary->files) fmt::print("  {:<28} {:>12} rows {:>14} bytes\n", file.file, file.rows, file.bytes);
    for (const auto& anomaly : summary->anomalies) fmt::print("  {:<28} {:>6}\n", anomaly.anomaly, anomaly.count);
    fmt::print("total {} bytes in {:.2f} s\n", summary->total_bytes, seconds);
    return 0;
}
