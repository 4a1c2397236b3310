// MASTER-DUPLICATE-CUSTOMER: accounts that are likely the same customer registered twice (same
// holder name and supply address, written alike after normalisation, different account ids).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "rules/evidence.hpp"
#include "rules/master/master_rules.hpp"

namespace gridaudit {
namespace {

// Appends the UTF-8 encoding of `code_point`.
void append_utf8(std::string& out, char32_t code_point) {
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xC0 | (code_point >> 6));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
        out += static_cast<char>(0xE0 | (code_point >> 12));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code_point >> 18));
        out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
}

// The next code point of `text` at `at` (advanced past it); a malformed byte reads as itself.
char32_t next_code_point(std::string_view text, std::size_t& at) {
    const auto byte = static_cast<unsigned char>(text[at]);
    const int length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 1;
    if (length == 1 || at + static_cast<std::size_t>(length) > text.size()) {
        ++at;
        return byte;
    }
    char32_t code_point = byte & (0x7F >> length);
    for (int i = 1; i < length; ++i) code_point = (code_point << 6) | (static_cast<unsigned char>(text[at + i]) & 0x3F);
    at += static_cast<std::size_t>(length);
    return code_point;
}

bool is_cjk_punctuation(char32_t c) {
    return (c >= 0x3000 && c <= 0x303F) || c == 0xFF0C || c == 0xFF0E || c == 0xFF1A || c == 0xFF1B ||
           c == 0x2014 || c == 0x2013 || c == 0x00B7;
}

}  // namespace

namespace {

// Appends the normalised form of `text` to `out` (normalise_master_text without an allocation).
void append_normalised(std::string_view text, std::string& out) {
    for (std::size_t at = 0; at < text.size();) {
        char32_t c = next_code_point(text, at);
        if (c >= 0xFF01 && c <= 0xFF5E && !is_cjk_punctuation(c)) c -= 0xFEE0;  // full-width ASCII
        if (c < 0x80) {
            const auto ascii = static_cast<unsigned char>(c);
            if (std::isalnum(ascii)) out += static_cast<char>(std::tolower(ascii));
            continue;  // spaces and ASCII punctuation do not tell addresses apart
        }
        if (is_cjk_punctuation(c)) continue;
        append_utf8(out, c);
    }
}

// The comparison key of a customer: normalised name, a separator, normalised address.
void account_key(const CustomerColumns& customers, std::size_t c, std::string& key) {
    key.clear();
    append_normalised(customers.name[c], key);
    key += '\x1F';
    append_normalised(customers.address[c], key);
}

}  // namespace

std::string normalise_master_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_normalised(text, out);
    return out;
}

namespace {

class MasterDuplicateCustomerRule final : public Rule {
public:
    MasterDuplicateCustomerRule() {
        info_.id = "MASTER-DUPLICATE-CUSTOMER";
        info_.area = InspectionArea::PROC;
        info_.title = "Likely duplicate customer account";
        info_.description =
            "Two or more accounts with the same holder name and the same supply address, written alike once case, "
            "full-width characters, spaces and punctuation are ignored, but under different account numbers, "
            "anywhere in the utility. A duplicate account splits one customer's consumption (tier thresholds, "
            "capacity charges), hides arrears behind a fresh account, or keeps a meter no one bills. The oldest "
            "account (earliest supply start) is taken as the original; each later one is reported with the "
            "account it repeats. Closed accounts are compared only when the policy says so; accounts without an "
            "address are not judged.";
        info_.parameters = {
            {"include_closed", false, "", "Also compare closed accounts (a closed account reopened under a new number)."},
        };
        info_.evidence_fields = {"duplicate_of", "name", "address", "node_id", "duplicate_of_node_id",
                                 "supply_start", "duplicate_of_supply_start"};
        info_.truth_anomalies = {"duplicate_customer"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext&, const RuleSettings&, std::vector<Finding>&) const override {}

    void evaluate_utility(const UtilityContext& context, const RuleSettings& settings,
                          std::vector<Finding>& findings) const override {
        const bool include_closed = settings.flag("include_closed");
        // Accounts by the hash of their key, sorted; equal hashes are then compared on the keys
        // themselves, so a collision never makes a duplicate. No string is kept per account.
        std::vector<Account> accounts;
        std::string key;
        for (std::size_t f = 0; f < context.frames.size(); ++f) {
            const CustomerColumns& customers = context.frames[f].customers;
            for (std::size_t c = 0; c < customers.size(); ++c) {
                if (customers.address[c].empty() || (!include_closed && customers.status[c] == "closed")) continue;
                account_key(customers, c, key);
                accounts.push_back({std::hash<std::string_view>{}(key), static_cast<std::uint32_t>(f),
                                    static_cast<std::uint32_t>(c)});
            }
        }
        std::sort(accounts.begin(), accounts.end(), [](const Account& a, const Account& b) {
            return std::tie(a.hash, a.frame, a.customer) < std::tie(b.hash, b.frame, b.customer);
        });
        const auto customers_of = [&](const Account& a) -> const CustomerColumns& {
            return context.frames[a.frame].customers;
        };
        const auto oldest_first = [&](const Account& a, const Account& b) {
            const CustomerColumns& x = customers_of(a);
            const CustomerColumns& y = customers_of(b);
            return std::tie(x.supply_start[a.customer], x.id[a.customer]) <
                   std::tie(y.supply_start[b.customer], y.id[b.customer]);
        };
        std::vector<Finding> reported;
        std::vector<std::pair<std::string, Account>> same_hash;
        for (std::size_t begin = 0, end = 0; begin < accounts.size(); begin = end) {
            end = begin + 1;
            while (end < accounts.size() && accounts[end].hash == accounts[begin].hash) ++end;
            if (end - begin < 2) continue;
            same_hash.clear();
            for (std::size_t i = begin; i < end; ++i) {
                account_key(customers_of(accounts[i]), accounts[i].customer, key);
                same_hash.emplace_back(key, accounts[i]);
            }
            std::sort(same_hash.begin(), same_hash.end(), [&](const auto& a, const auto& b) {
                return a.first != b.first ? a.first < b.first : oldest_first(a.second, b.second);
            });
            for (std::size_t g = 0, g_end = 0; g < same_hash.size(); g = g_end) {
                g_end = g + 1;
                while (g_end < same_hash.size() && same_hash[g_end].first == same_hash[g].first) ++g_end;
                std::vector<Account> group;
                for (std::size_t i = g; i < g_end; ++i) group.push_back(same_hash[i].second);
                report_group(context, group, reported);
            }
        }
        std::sort(reported.begin(), reported.end(),
                  [](const Finding& a, const Finding& b) { return a.subject_id < b.subject_id; });
        for (Finding& finding : reported) findings.push_back(std::move(finding));
    }

private:
    struct Account {
        std::uint64_t hash;
        std::uint32_t frame, customer;
    };

    // Reports every account of `group` (one key, oldest first) but the first as its duplicate.
    void report_group(const UtilityContext& context, const std::vector<Account>& accounts,
                      std::vector<Finding>& reported) const {
        if (accounts.size() < 2) return;
        const auto customers_of = [&](const Account& a) -> const CustomerColumns& {
            return context.frames[a.frame].customers;
        };
        const Account& original = accounts.front();
        const CustomerColumns& first = customers_of(original);
        const RegionFrame& first_frame = context.frames[original.frame];
        for (std::size_t i = 1; i < accounts.size(); ++i) {
            const CustomerColumns& customers = customers_of(accounts[i]);
            const std::size_t c = accounts[i].customer;
            const RegionFrame& frame = context.frames[accounts[i].frame];
            Finding finding = finding_of(info_, "customer", customers.id[c]);
            finding.severity = Severity::medium;
            finding.summary = fmt::format("account {} ({}, {}) repeats account {} opened {}", customers.id[c],
                                          customers.name[c], customers.address[c], first.id[original.customer],
                                          first.supply_start[original.customer].to_string());
            finding.evidence_json =
                Evidence(info_)
                    .text("duplicate_of", first.id[original.customer])
                    .text("name", customers.name[c])
                    .text("address", customers.address[c])
                    .text("node_id", frame.network.id[customers.node[c].value()])
                    .text("duplicate_of_node_id", first_frame.network.id[first.node[original.customer].value()])
                    .date("supply_start", customers.supply_start[c])
                    .date("duplicate_of_supply_start", first.supply_start[original.customer])
                    .dump();
            reported.push_back(std::move(finding));
        }
    }

    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_master_duplicate_customer_rule() {
    return std::make_unique<MasterDuplicateCustomerRule>();
}

}  // namespace gridaudit
