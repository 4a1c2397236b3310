// Reading truth.csv with the strict CSV reader and matching its subjects to findings.
#include "audit/truth_score.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "text/csv_reader.hpp"

namespace gridaudit {

Result<std::vector<TruthRecord>> read_truth(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return user_error(fmt::format("{}: cannot read", file.string()));
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string content = buffer.str();
    CsvReader reader(content);
    std::vector<std::string> header;
    std::vector<TruthRecord> records;
    const std::vector<std::string> expected{"subject_kind", "subject_id", "anomaly", "start",
                                            "end",          "magnitude",  "detail"};
    for (CsvStatus status = reader.next(); status != CsvStatus::end; status = reader.next()) {
        if (status == CsvStatus::malformed)
            return user_error(fmt::format("{}:{}:{}: {}", file.filename().string(), reader.error().line,
                                          reader.error().column, reader.error().what));
        const auto& fields = reader.record().fields;
        if (header.empty()) {
            for (const auto& field : fields) header.emplace_back(field.text);
            if (header != expected)
                return user_error(
                    fmt::format("{}:1:1: header must be {}", file.filename().string(), fmt::join(expected, ",")));
            continue;
        }
        if (fields.size() != expected.size())
            return user_error(fmt::format("{}:{}:1: expected {} fields, found {}", file.filename().string(),
                                          reader.record().line, expected.size(), fields.size()));
        TruthRecord record{std::string(fields[0].text), std::string(fields[1].text), std::string(fields[2].text),
                           std::string(fields[3].text), std::string(fields[4].text), 0,
                           std::string(fields[6].text)};
        if (!fields[5].text.empty()) record.magnitude = std::stod(std::string(fields[5].text));
        records.push_back(std::move(record));
    }
    return records;
}

namespace {

// key column -> value column of every row of a table where both are present.
Result<std::map<std::string, std::string>> read_text_map(Store& store, std::string_view table, std::string_view key,
                                                         std::string_view value) {
    const TableSpec& spec = *find_table(table);
    GA_ASSIGN_OR_RETURN(const auto rows, store.read_rows(spec));
    const int key_column = spec.column_index(key), value_column = spec.column_index(value);
    std::map<std::string, std::string> map;
    for (const Row& row : rows) {
        const auto* k = std::get_if<std::string>(&row.values[static_cast<std::size_t>(key_column)]);
        const auto* v = std::get_if<std::string>(&row.values[static_cast<std::size_t>(value_column)]);
        if (k && v) map[*k] = *v;
    }
    return map;
}

}  // namespace

Result<CulpritScore> score_culprits(Store& store, const std::vector<Finding>& findings,
                                    const std::vector<TruthRecord>& truth) {
    GA_ASSIGN_OR_RETURN(const auto node_of_customer, read_text_map(store, "customers", "customer_id", "node_id"));
    GA_ASSIGN_OR_RETURN(const auto customer_of_meter, read_text_map(store, "meters", "meter_id", "customer_id"));
    std::set<std::string> flagged, flagged_negative, top_three;
    for (const Finding& finding : findings) {
        if (finding.rule_id == "LOSS-AREA-HIGH" || finding.rule_id == "LOSS-FEEDER-HIGH")
            flagged.insert(finding.subject_id);
        if (finding.rule_id == "LOSS-AREA-NEGATIVE" || finding.rule_id == "LOSS-FEEDER-NEGATIVE")
            flagged_negative.insert(finding.subject_id);
        if (finding.rule_id != "LOSS-SUSPECT") continue;
        const auto evidence = nlohmann::json::parse(finding.evidence_json, nullptr, false);
        if (evidence.is_object() && evidence.contains("rank") && evidence["rank"].is_number() &&
            evidence["rank"].get<int>() <= 3)
            top_three.insert(finding.subject_id);
    }
    CulpritScore score;
    std::map<std::string, std::size_t> culprits_of, hits_of;  // flagged node -> culprits, in its top 3
    for (const TruthRecord& record : truth) {
        if (record.anomaly == "area_loss_high" || record.anomaly == "feeder_loss_high") {
            ++score.abnormal_nodes;
            score.abnormal_found += flagged.contains(record.subject_id);
            continue;
        }
        if (record.anomaly == "area_loss_negative" || record.anomaly == "feeder_loss_negative") {
            ++score.abnormal_nodes;
            score.abnormal_found += flagged_negative.contains(record.subject_id);
            continue;
        }
        const bool culprit =
            record.anomaly == "theft_bypass" || record.anomaly == "meter_stopped" || record.anomaly == "meter_reversed";
        if (!culprit || !record.end.empty()) continue;  // ongoing at the data's end only
        std::string customer = record.subject_id;
        if (record.subject_kind == "meter") {
            const auto it = customer_of_meter.find(record.subject_id);
            if (it == customer_of_meter.end()) continue;
            customer = it->second;
        }
        const auto node = node_of_customer.find(customer);
        if (node == node_of_customer.end() || !flagged.contains(node->second)) continue;
        ++score.culprits;
        ++culprits_of[node->second];
        if (top_three.contains(customer)) ++score.top_three_hits, ++hits_of[node->second];
    }
    for (const auto& [node, count] : culprits_of) score.slots += std::min<std::size_t>(3, count);
    return score;
}

Result<std::vector<RuleScore>> score_against_truth(Store& store, const Catalogue& catalogue,
                                                   const std::vector<std::string>& rules_run,
                                                   const std::vector<Finding>& findings,
                                                   const std::vector<TruthRecord>& truth) {
    // Every subject expressed as the set of meters it stands for.
    const TableSpec& meter_spec = *find_table("meters");
    GA_ASSIGN_OR_RETURN(const auto meter_rows, store.read_rows(meter_spec));
    const int id_column = meter_spec.column_index("meter_id");
    const int customer_column = meter_spec.column_index("customer_id");
    const int node_column = meter_spec.column_index("node_id");
    // The recorded area of every customer, for node findings.
    GA_ASSIGN_OR_RETURN(const auto node_of_customer, read_text_map(store, "customers", "customer_id", "node_id"));
    // Parents in the network, so a finding about a feeder or substation stands for its whole subtree.
    GA_ASSIGN_OR_RETURN(const auto parent_of, read_text_map(store, "network", "node_id", "parent_id"));
    // The node and its ancestors (bounded by the network's size, in case of a cycle).
    const auto node_and_ancestors = [&](std::string node) {
        std::vector<std::string> chain;
        for (std::size_t steps = 0; !node.empty() && steps <= parent_of.size(); ++steps) {
            chain.push_back(node);
            const auto parent = parent_of.find(node);
            if (parent == parent_of.end()) break;
            node = parent->second;
        }
        return chain;
    };
    std::multimap<std::string, std::string> meters_of;     // "customer:C1" -> meter ids
    std::multimap<std::string, std::string> meters_under;  // "node:A1" -> every meter of its subtree
    for (const Row& row : meter_rows) {
        const auto text = [&](int column) {
            const auto* value = std::get_if<std::string>(&row.values[static_cast<std::size_t>(column)]);
            return value ? *value : std::string();
        };
        const std::string meter = text(id_column);
        meters_of.emplace("meter:" + meter, meter);
        if (!text(customer_column).empty()) meters_of.emplace("customer:" + text(customer_column), meter);
        if (!text(node_column).empty()) {
            meters_of.emplace("node:" + text(node_column), meter);
            for (const auto& node : node_and_ancestors(text(node_column))) meters_under.emplace("node:" + node, meter);
        }
        if (const auto it = node_of_customer.find(text(customer_column)); it != node_of_customer.end())
            for (const auto& node : node_and_ancestors(it->second)) meters_under.emplace("node:" + node, meter);
    }
    const auto as_meters = [&](const std::string& kind, const std::string& id) {
        std::set<std::string> meters;
        const auto [begin, end] = meters_of.equal_range(kind + ":" + id);
        for (auto it = begin; it != end; ++it) meters.insert(it->second);
        if (meters.empty()) meters.insert(kind + ":" + id);  // subjects that are not meters stand for themselves
        return meters;
    };
    // A finding about a node stands for every meter of its subtree: gateways and the meters of the
    // customers recorded under it or under its descendants.
    const auto finding_meters = [&](const std::string& kind, const std::string& id) {
        if (kind != "node") return as_meters(kind, id);
        std::set<std::string> meters;
        const auto [begin, end] = meters_under.equal_range(kind + ":" + id);
        for (auto it = begin; it != end; ++it) meters.insert(it->second);
        if (meters.empty()) meters.insert(kind + ":" + id);
        meters.insert("supplied-by:" + id);
        return meters;
    };
    // A truth row stands for its subject's meters; a wrong_area customer also for the area that really
    // supplies it (its detail, whose loss it raises), a token only node findings carry.
    const auto truth_meters_of = [&](const TruthRecord& record) {
        auto meters = as_meters(record.subject_kind, record.subject_id);
        if (record.anomaly == "wrong_area" && !record.detail.empty()) meters.insert("supplied-by:" + record.detail);
        return meters;
    };

    std::vector<RuleScore> scores;
    for (const auto& rule : catalogue.rules()) {
        const RuleInfo& info = rule->info();
        if (info.truth_anomalies.empty() || std::find(rules_run.begin(), rules_run.end(), info.id) == rules_run.end())
            continue;
        std::map<std::string, std::set<std::string>> truth_subjects;  // subject -> its meters
        std::set<std::string> truth_meters;
        for (const auto& record : truth) {
            if (std::find(info.truth_anomalies.begin(), info.truth_anomalies.end(), record.anomaly) ==
                info.truth_anomalies.end())
                continue;
            auto meters = truth_meters_of(record);
            truth_meters.insert(meters.begin(), meters.end());
            truth_subjects[record.subject_kind + ":" + record.subject_id] = std::move(meters);
        }
        std::set<std::string> found_subjects, found_meters;
        RuleScore score;
        score.rule_id = info.id;
        for (const auto& finding : findings) {
            if (finding.rule_id != info.id) continue;
            if (!found_subjects.insert(finding.subject_kind + ":" + finding.subject_id).second) continue;
            const auto meters = finding_meters(finding.subject_kind, finding.subject_id);
            found_meters.insert(meters.begin(), meters.end());
            if (std::any_of(meters.begin(), meters.end(),
                            [&](const std::string& m) { return truth_meters.contains(m); }))
                ++score.true_positives;
        }
        for (const auto& [subject, meters] : truth_subjects)
            if (std::any_of(meters.begin(), meters.end(),
                            [&](const std::string& m) { return found_meters.contains(m); }))
                ++score.truth_found;
        score.truth_subjects = truth_subjects.size();
        score.found_subjects = found_subjects.size();
        scores.push_back(score);
    }
    return scores;
}

}  // namespace gridaudit
