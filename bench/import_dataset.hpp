// The import benchmark's data set: a minimal valid export folder dominated by ami_daily.csv.
//
// network.csv (one substation, bus and feeder, areas of 100 meters), customers.csv, meters.csv
// and ami_daily.csv with `meters` x `days` rows of rising registers, in meter order, a small
// share of empty export registers. Deterministic for a seed. Thread safety: stateless.
#pragma once

#include <cstdint>
#include <filesystem>

#include "core/result.hpp"

namespace gridaudit {

struct ImportDatasetSize {
    std::uint64_t daily_rows = 0;
    std::uint64_t daily_bytes = 0;
};

[[nodiscard]] Result<ImportDatasetSize> write_import_dataset(const std::filesystem::path& folder, int meters, int days,
                                                             std::uint64_t seed);

}  // namespace gridaudit
