// Estimation rates per meter reader and per reading team over a window of billing reads, the
// evidence of SERV-ESTIMATED-READ (which readers and teams estimate instead of reading).
#pragma once

#include <map>
#include <string>

#include "rules/reading/billing_reads.hpp"

namespace gridaudit {

struct ReadCount {
    std::size_t reads = 0;
    std::size_t estimated = 0;
    [[nodiscard]] double rate() const { return reads ? static_cast<double>(estimated) / static_cast<double>(reads) : 0; }
};

struct ReaderRates {
    std::map<std::string, ReadCount, std::less<>> by_reader;
    std::map<std::string, ReadCount, std::less<>> by_team;
};

// Counts the reads taken in [first, last].
[[nodiscard]] inline ReaderRates reader_rates(const BillingReadColumns& reads, CivilDate first, CivilDate last) {
    ReaderRates rates;
    for (std::size_t i = 0; i < reads.size(); ++i) {
        if (reads.read_on[i] < first || reads.read_on[i] > last) continue;
        const bool estimated = reads.source[i] == ReadSource::estimated;
        ReadCount& reader = rates.by_reader[reads.reader_id[i]];
        ++reader.reads;
        reader.estimated += estimated;
        ReadCount& team = rates.by_team[reads.reader_team[i]];
        ++team.reads;
        team.estimated += estimated;
    }
    return rates;
}

// First day of a look-back of `months` whole months before the month of `day`.
[[nodiscard]] inline CivilDate months_back(CivilDate day, int months) {
    return (Period::of(day) - months).first_day();
}

}  // namespace gridaudit
