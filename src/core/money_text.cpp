// Grouped figures and money with its currency (core/money_text.hpp).
#include "core/money_text.hpp"

#include <algorithm>

namespace gridaudit {

std::string group_thousands(std::string_view plain) {
    const std::size_t sign = !plain.empty() && (plain[0] == '-' || plain[0] == '+') ? 1 : 0;
    const std::size_t point = std::min(plain.find('.'), plain.size());
    std::string out(plain.substr(0, sign));
    for (std::size_t i = sign; i < point; ++i) {
        if (i > sign && (point - i) % 3 == 0) out += ',';
        out += plain[i];
    }
    out += plain.substr(point);
    return out;
}

std::string money_text(Money amount, std::string_view currency) {
    std::string text = group_thousands(amount.to_string(2));
    text += ' ';
    text += currency;
    return text;
}

}  // namespace gridaudit
