// Billing reads (register_reads.csv, `total` register) of one region, as the reading-quality
// rules need them, and where those rules get them from.
//
// RegionFrame does not carry billing reads yet; until it does, the SERV read rules are given a
// BillingReadsSource that finds a frame's reads (the audit fills them from the store outside the
// rules layer; tests fill them by hand). Without a source those rules are not added to a
// catalogue. Thread safety: plain data; a source must be callable from several threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "frame/region_frame.hpp"

namespace gridaudit {

enum class ReadSource : std::uint8_t { ami, manual, estimated };

// `total` register reads, sorted by meter then day. reader_team is the reader's org unit ("" when
// unknown).
struct BillingReadColumns {
    std::vector<MeterIndex> meter;
    std::vector<CivilDate> read_on;
    std::vector<double> value;
    std::vector<ReadSource> source;
    std::vector<std::string> reader_id;
    std::vector<std::string> reader_team;
    [[nodiscard]] std::size_t size() const { return meter.size(); }
    void push(MeterIndex m, CivilDate day, double v, ReadSource s, std::string reader, std::string team) {
        meter.push_back(m);
        read_on.push_back(day);
        value.push_back(v);
        source.push_back(s);
        reader_id.push_back(std::move(reader));
        reader_team.push_back(std::move(team));
    }
};

// Returns the billing reads of a frame, or nullptr when none are known for it.
using BillingReadsSource = std::function<const BillingReadColumns*(const RegionFrame&)>;

// Sorts the columns by (meter, day).
void sort_billing_reads(BillingReadColumns& reads);

}  // namespace gridaudit
