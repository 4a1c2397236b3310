// Reading quality per reader and team (see reader_quality.hpp).
#include "analysis/reader_quality.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace gridaudit {
namespace {

std::vector<ReadingQuality> ranked(std::map<std::string, ReadingQuality>& rows) {
    std::vector<ReadingQuality> list;
    for (auto& [id, row] : rows) list.push_back(std::move(row));
    std::stable_sort(list.begin(), list.end(), [](const ReadingQuality& a, const ReadingQuality& b) {
        if (a.problems() != b.problems()) return a.problems() > b.problems();
        return a.estimated_rate() > b.estimated_rate();
    });
    return list;
}

}  // namespace

ReadingQualityTables reading_quality(std::span<const RegionFrame> frames, std::span<const Finding> findings,
                                     CivilDate first, CivilDate last) {
    std::map<std::string, ReadingQuality> readers, teams;
    std::map<std::string, std::string> team_of;
    for (const RegionFrame& frame : frames) {
        const BillingReadColumns& reads = frame.billing_reads;
        for (std::size_t i = 0; i < reads.size(); ++i) {
            if (reads.read_on[i] < first || reads.read_on[i] > last) continue;
            const bool estimated = reads.source[i] == ReadSource::estimated;
            ReadingQuality& reader = readers[reads.reader_id[i]];
            reader.id = reads.reader_id[i];
            reader.team = reads.reader_team[i];
            team_of[reads.reader_id[i]] = reads.reader_team[i];
            ++reader.reads;
            reader.estimated += estimated;
            ReadingQuality& team = teams[reads.reader_team[i]];
            team.id = reads.reader_team[i];
            ++team.reads;
            team.estimated += estimated;
        }
    }
    for (const Finding& finding : findings) {
        const bool missed = finding.rule_id == "SERV-MISSED-READ";
        if (!missed && finding.rule_id != "SERV-WRONG-READ") continue;
        const auto evidence = nlohmann::json::parse(finding.evidence_json, nullptr, false);
        if (!evidence.is_object() || !evidence.contains("reader_id") || !evidence["reader_id"].is_string()) continue;
        const std::string reader_id = evidence["reader_id"].get<std::string>();
        std::size_t count = 1;
        if (missed && evidence.contains("missed_month_ends") && evidence["missed_month_ends"].is_array())
            count = evidence["missed_month_ends"].size();
        ReadingQuality& reader = readers[reader_id];
        reader.id = reader_id;
        ReadingQuality& team = teams[team_of[reader_id]];
        team.id = team_of[reader_id];
        reader.team = team.id;
        (missed ? reader.missed : reader.wrong) += count;
        (missed ? team.missed : team.wrong) += count;
    }
    return ReadingQualityTables{ranked(readers), ranked(teams)};
}

}  // namespace gridaudit
