// Billing reads of each loaded region, read from a Store's register_reads and staff tables.
//
// Test-side stand-in until RegionFrame carries billing reads (the frame loader should fill them;
// see docs/vee.md): the reading rules themselves know nothing of the store. Thread safety: one
// call per Store; the returned object is immutable and may back a BillingReadsSource.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "frame/region_frame.hpp"
#include "rules/reading/billing_reads.hpp"
#include "store/store.hpp"

namespace gridaudit::testing {

class RegionBillingReads {
public:
    // Reads of the `total` register of every meter of `frames`, by substation.
    [[nodiscard]] static Result<RegionBillingReads> load(Store& store, const std::vector<RegionFrame>& frames);

    // A source for the reading rules: a frame's reads when its meters are the ones loaded.
    [[nodiscard]] BillingReadsSource source() const;

    [[nodiscard]] std::size_t size() const;

private:
    struct Region {
        std::vector<std::string> meter_ids;
        BillingReadColumns reads;
    };
    std::map<std::string, Region, std::less<>> by_substation_;
};

}  // namespace gridaudit::testing
