// Meter-reading quality per reader and per reading team over an audit's window: the reads taken,
// how many were estimated, and the missed and wrong reads the SERV rules attributed to them.
//
// The seed asks to "put an end to estimation, omission and wrong reads": this is the table a
// supervisor ranks readers and teams by. Thread safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "frame/region_frame.hpp"
#include "model/finding.hpp"

namespace gridaudit {

struct ReadingQuality {
    std::string id;    // reader (staff id) or team (org unit id); "" when not recorded
    std::string team;  // the reader's team ("" for a team row)
    std::size_t reads = 0;
    std::size_t estimated = 0;
    std::size_t missed = 0;  // month ends without a read (SERV-MISSED-READ), by the meter's last reader
    std::size_t wrong = 0;   // wrong reads (SERV-WRONG-READ)
    [[nodiscard]] double estimated_rate() const {
        return reads ? static_cast<double>(estimated) / static_cast<double>(reads) : 0.0;
    }
    [[nodiscard]] std::size_t problems() const { return estimated + missed + wrong; }
};

struct ReadingQualityTables {
    std::vector<ReadingQuality> readers;  // most problems first
    std::vector<ReadingQuality> teams;
};

// Reads dated first..last in the frames' billing reads, and the SERV findings' reader_id evidence.
[[nodiscard]] ReadingQualityTables reading_quality(std::span<const RegionFrame> frames, std::span<const Finding> findings,
                                                   CivilDate first, CivilDate last);

}  // namespace gridaudit
