// Registration of the reading-quality rules, and billing-read sorting.
#include <algorithm>
#include <numeric>

#include "rules/reading/reading_rules.hpp"

namespace gridaudit {

void add_reading_rules(Catalogue& catalogue, BillingReadsSource reads) {
    catalogue.add(make_meter_stopped_rule());
    catalogue.add(make_meter_reversed_rule());
    if (!reads) return;
    catalogue.add(make_serv_estimated_read_rule(reads));
    catalogue.add(make_serv_missed_read_rule(reads));
    catalogue.add(make_serv_wrong_read_rule(reads));
}

void sort_billing_reads(BillingReadColumns& reads) {
    std::vector<std::size_t> order(reads.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (reads.meter[a] != reads.meter[b]) return reads.meter[a] < reads.meter[b];
        return reads.read_on[a] < reads.read_on[b];
    });
    BillingReadColumns sorted;
    for (std::size_t i : order)
        sorted.push(reads.meter[i], reads.read_on[i], reads.value[i], reads.source[i], std::move(reads.reader_id[i]),
                    std::move(reads.reader_team[i]), reads.peak[i], reads.flat[i], reads.valley[i]);
    reads = std::move(sorted);
}

}  // namespace gridaudit
