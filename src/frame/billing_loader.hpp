// Loads the fee accounts into the region frames: bills, payments and the store's tariffs, and the
// utility-wide daily collection totals.
//
// attach_billing() places each bill in the region of its customer and each payment in the region
// of its customer (or of its bill's customer when it names none), sorted as billing_columns.hpp
// says, and gives every frame the store's TariffBook. A stored tariff that cannot be used does not
// fail the load: it is left out of the book and every frame names it, with the reason, in
// unusable_tariffs (the audit reports it once; its customers' bills are not recomputed).
// Thread safety: one call per Store.
#pragma once

#include <vector>

#include "core/result.hpp"
#include "frame/region_frame.hpp"
#include "model/rows.hpp"
#include "store/store.hpp"

namespace gridaudit {

// `bill_rows` are the store's bills.csv rows (the caller has read them already). Without
// `payments_and_tariffs` only the bills are placed (payments and tariffs are neither read nor set).
[[nodiscard]] Status attach_billing(Store& store, const std::vector<Row>& bill_rows, std::vector<RegionFrame>& frames,
                                    bool payments_and_tariffs = true);

// Every daily collection total of the store.
[[nodiscard]] Result<CollectionColumns> load_collections(Store& store);

}  // namespace gridaudit
