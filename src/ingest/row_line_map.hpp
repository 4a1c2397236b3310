// The CSV line of each accepted row of a series file, without storing one number per row:
// rows usually follow each other line by line, so only the places where that breaks (a rejected
// row, a record spanning lines, a blank line) are kept.
// Thread safety: plain data.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gridaudit {

class RowLineMap {
public:
    // Records that row number `size()` starts on `line`. Rows are added in order.
    void add(std::uint32_t line) {
        if (rows_ == 0 || line != last_line_ + 1) breaks_.push_back({rows_, line});
        last_line_ = line;
        ++rows_;
    }

    [[nodiscard]] std::size_t size() const { return rows_; }

    // REQUIRES: row < size().
    [[nodiscard]] std::uint32_t line_of(std::size_t row) const {
        const auto after = std::upper_bound(breaks_.begin(), breaks_.end(), row,
                                            [](std::size_t r, const Break& b) { return r < b.row; });
        const Break& at = *(after - 1);
        return at.line + static_cast<std::uint32_t>(row - at.row);
    }

    // Appends another map's rows, their lines shifted by `line_offset`.
    void append(const RowLineMap& other, std::int64_t line_offset) {
        for (const Break& b : other.breaks_) {
            const auto line = static_cast<std::uint32_t>(b.line + line_offset);
            const bool continues = b.row == 0 && rows_ > 0 && line == last_line_ + 1;
            if (!continues) breaks_.push_back({rows_ + b.row, line});
        }
        if (other.rows_ > 0) last_line_ = static_cast<std::uint32_t>(other.last_line_ + line_offset);
        rows_ += other.rows_;
    }

    // Keeps the rows whose `keep[row]` is true, in order.
    [[nodiscard]] RowLineMap filtered(const std::vector<bool>& keep) const {
        RowLineMap kept;
        std::size_t at = 0;
        for (std::size_t row = 0; row < rows_; ++row) {
            while (at + 1 < breaks_.size() && breaks_[at + 1].row <= row) ++at;
            if (keep[row]) kept.add(breaks_[at].line + static_cast<std::uint32_t>(row - breaks_[at].row));
        }
        return kept;
    }

private:
    struct Break {
        std::size_t row;
        std::uint32_t line;
    };

    std::vector<Break> breaks_;
    std::size_t rows_ = 0;
    std::uint32_t last_line_ = 0;
};

}  // namespace gridaudit
