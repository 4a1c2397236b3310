// ami_daily.csv into DailySeriesRows: chunked, multi-threaded parsing with a per-row fast path.
#include "ingest/daily_series_parser.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/format.h>

#include "ingest/field_parser.hpp"
#include "ingest/meter_interner.hpp"
#include "text/csv_reader.hpp"
#include "text/file_content.hpp"
#include "text/utf8_text.hpp"

namespace gridaudit {
namespace {

constexpr double missing = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t min_chunk_bytes = 1 << 20;

// What every chunk needs to know about the file.
struct DailyFile {
    std::string_view name;
    std::string_view content;
    const TableSpec* spec = nullptr;
    const CsvLayout* layout = nullptr;
    std::size_t meter_field = 0, day_field = 0;
    int import_field = -1, export_field = -1;  // -1 when the file lacks the column
    std::size_t max_rejected_rows = 0;
    ProgressObserver* progress = nullptr;
};

// Rows a chunk parses between two reports to the progress observer (a power of two).
constexpr std::size_t rows_per_report = 65536;

// Where a chunk writes its rows: its own region of the result's columns.
struct ColumnSlots {
    std::uint32_t* meter = nullptr;
    std::int32_t* day = nullptr;
    double* import_register = nullptr;
    double* export_register = nullptr;
    std::size_t capacity = 0;
};

struct DailyChunk {
    std::vector<std::string> meter_ids;  // local to the chunk (the rows' meter indexes are local)
    std::size_t row_count = 0;           // rows written to the chunk's slots
    RowLineMap lines;
    std::vector<RejectedRecord> rejected;
    ProblemLog problems;
    std::size_t rows_read = 0;
    CsvPosition first_record{std::numeric_limits<std::size_t>::max(), 0};  // first record seen, taken or not
    CsvPosition stop;    // the first record not taken (or the end of the input)
    bool sorted = true;  // (local meter, day) strictly increasing
    bool too_many_rejected = false;
};

// Sizes a column (and so faults its memory in). Transparent huge pages were tried: they make a
// later parse in the same process faster, but the first one (a CLI import) slower, as the kernel
// compacts memory to find them.
template <class T>
void size_column(std::vector<T>& column, std::size_t size) {
    column.resize(size);
}

// Logs the problem of one register field; returns the value (NaN when empty) or nullopt.
std::optional<double> register_value(const DailyFile& file, int field_index, std::size_t column,
                                     const CsvRecord& record, ProblemLog& problems) {
    if (field_index < 0) return missing;
    const CsvField& field = record.fields[static_cast<std::size_t>(field_index)];
    if (field.text.empty()) return missing;
    const ColumnSpec& spec = file.spec->columns[column];
    if (const auto value = parse_decimal(field.text)) {
        if ((!spec.minimum || *value >= *spec.minimum) && (!spec.maximum || *value <= *spec.maximum)) return *value;
    }
    auto parsed = parse_field(spec, field.text);
    problems.add_field(file.name, field.line, field.column, spec.name, parsed ? "value out of range" : parsed.error(),
                       field.text);
    return std::nullopt;
}

// Most rows have no quote and no carriage return and end within 64 bytes: such a row is split
// here with four 16-byte compares instead of going through the general reader. Returns false
// (and consumes nothing) for any other row. REQUIRES: at least 64 readable bytes at `p`.
constexpr std::size_t max_plain_fields = 8;

[[maybe_unused]] inline bool split_plain_row(const char* p, std::size_t field_count, std::string_view* fields,
                                             const char*& next) {
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i line_feed = _mm_set1_epi8('\n');
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i carriage_return = _mm_set1_epi8('\r');
    std::uint64_t commas = 0, line_feeds = 0, specials = 0;
    for (unsigned block = 0; block < 4 && line_feeds == 0; ++block) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * block));
        const auto mask = [&](__m128i match) {
            return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(match))) << (16 * block);
        };
        commas |= mask(_mm_cmpeq_epi8(bytes, comma));
        line_feeds |= mask(_mm_cmpeq_epi8(bytes, line_feed));
        specials |= mask(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, carriage_return)));
    }
    if (line_feeds == 0) return false;
    const int line_end = std::countr_zero(line_feeds);
    const std::uint64_t before_end = (std::uint64_t{1} << line_end) - 1;
    if ((specials & before_end) != 0) return false;
    std::uint64_t separators = commas & before_end;
    int field_start = 0;
    for (std::size_t f = 0; f + 1 < field_count; ++f) {
        if (separators == 0) return false;  // too few fields
        const int at = std::countr_zero(separators);
        separators &= separators - 1;
        fields[f] = std::string_view(p + field_start, static_cast<std::size_t>(at - field_start));
        field_start = at + 1;
    }
    if (separators != 0) return false;  // too many fields
    fields[field_count - 1] = std::string_view(p + field_start, static_cast<std::size_t>(line_end - field_start));
    next = p + line_end + 1;
    return true;
#else
    (void)p, (void)field_count, (void)fields, (void)next;
    return false;
#endif
}

// Parses one chunk: rows go to the slots, problems and rejected rows to the chunk.
class ChunkParser {
public:
    ChunkParser(const DailyFile& file, ColumnSlots slots) : file_(file), slots_(slots) {}

    // Parses the records that start in [start.offset, end_offset).
    // REQUIRES: slots.capacity >= the number of records starting in that range.
    DailyChunk run(CsvPosition start, std::size_t end_offset) {
        CsvReader reader(file_.content, start);
        const char* const base = file_.content.data();
        const char* const end = base + file_.content.size();
        const std::size_t field_count = file_.layout->field_count();
        const bool plain_rows_possible = field_count <= max_plain_fields;
        std::string_view fields[max_plain_fields];
        const char* p = base + start.offset;
        std::uint32_t line = start.line;
        for (;;) {
            const char* next = nullptr;
            if (plain_rows_possible && end - p >= 64 && split_plain_row(p, field_count, fields, next)) {
                const auto offset = static_cast<std::size_t>(p - base);
                if (!seen(offset, line, end_offset)) break;
                if (++chunk_.rows_read % rows_per_report == 0) file_.progress->advance(rows_per_report);
                if (!accept_plain(fields, line)) {
                    general_record(reader, {offset, line});  // reports the problems
                    if (chunk_.too_many_rejected) {
                        chunk_.stop = reader.position();
                        break;
                    }
                }
                p = next;
                ++line;
                continue;
            }
            // Anything else (quotes, blank lines, long or short rows, the last rows) is read by the
            // general reader, one record at a time.
            reader.reset({static_cast<std::size_t>(p - base), line});
            const CsvStatus status = reader.next();
            if (status == CsvStatus::end) {
                chunk_.stop = reader.position();
                break;
            }
            if (!seen(reader.record().offset, reader.record().line, end_offset)) break;
            if (++chunk_.rows_read % rows_per_report == 0) file_.progress->advance(rows_per_report);
            check_record(status, reader);
            if (chunk_.too_many_rejected) {
                chunk_.stop = reader.position();
                break;
            }
            p = base + reader.position().offset;
            line = reader.position().line;
        }
        if (chunk_.first_record.offset == std::numeric_limits<std::size_t>::max()) chunk_.first_record = chunk_.stop;
        file_.progress->advance(chunk_.rows_read % rows_per_report);
        chunk_.meter_ids = meters_.take_ids();
        chunk_.row_count = rows_;
        return std::move(chunk_);
    }

private:
    // Notes a record start; false (with the chunk's stop set) when it belongs to the next chunk.
    bool seen(std::size_t offset, std::uint32_t line, std::size_t end_offset) {
        if (chunk_.first_record.offset == std::numeric_limits<std::size_t>::max()) chunk_.first_record = {offset, line};
        if (offset < end_offset) return true;
        chunk_.stop = {offset, line};
        return false;
    }

    // The values of a plain row, without reporting anything: false when any is wrong.
    bool accept_plain(const std::string_view* fields, std::uint32_t line) {
        const std::string_view meter_text = fields[file_.meter_field];
        std::uint32_t meter = 0;
        if (!meters_.find(meter_text, meter)) {
            if (meter_text.empty() || !is_clean_text(meter_text)) return false;
            meter = meters_.add(meter_text);
        }
        const auto day = dates_.parse(fields[file_.day_field]);
        if (!day) return false;
        double import_register = missing, export_register = missing;
        if (!plain_register(fields, file_.import_field, 2, import_register) ||
            !plain_register(fields, file_.export_field, 3, export_register))
            return false;
        accept(meter, *day, import_register, export_register, line);
        return true;
    }

    bool plain_register(const std::string_view* fields, int field_index, std::size_t column, double& value) const {
        if (field_index < 0) return true;
        const std::string_view text = fields[field_index];
        if (text.empty()) return true;
        const auto parsed = parse_decimal(text);
        if (!parsed) return false;
        const ColumnSpec& spec = file_.spec->columns[column];
        if ((spec.minimum && *parsed < *spec.minimum) || (spec.maximum && *parsed > *spec.maximum)) return false;
        value = *parsed;
        return true;
    }

    void accept(std::uint32_t meter, std::int32_t day, double import_register, double export_register,
                std::uint32_t line) {
        if (meter < previous_meter_ || (meter == previous_meter_ && day <= previous_day_)) chunk_.sorted = false;
        previous_meter_ = meter;
        previous_day_ = day;
        assert(rows_ < slots_.capacity);  // a chunk's region has room for one row per line
        slots_.meter[rows_] = meter;
        slots_.day[rows_] = day;
        slots_.import_register[rows_] = import_register;
        slots_.export_register[rows_] = export_register;
        ++rows_;
        chunk_.lines.add(line);
    }

    // Reads the record at `at` with the general reader and checks it, reporting its problems.
    void general_record(CsvReader& reader, CsvPosition at) {
        reader.reset(at);
        check_record(reader.next(), reader);
    }

    // Checks a record read by the general reader, reporting every problem (the generic path's words).
    void check_record(CsvStatus status, const CsvReader& reader) {
        const CsvRecord& record = reader.record();
        const std::size_t problems_before = chunk_.problems.size();
        bool good = (status == CsvStatus::record && record.fields.size() == file_.layout->field_count()) ||
                    check_record_shape(status, reader, *file_.layout, file_.name, chunk_.problems);
        std::uint32_t meter = 0;
        std::int32_t day = 0;
        double import_register = missing, export_register = missing;
        if (good) {
            const ColumnSpec& meter_spec = file_.spec->columns[0];
            const ColumnSpec& day_spec = file_.spec->columns[1];
            const CsvField& meter_field = record.fields[file_.meter_field];
            if (!meters_.find(meter_field.text, meter)) {
                if (meter_field.text.empty()) {
                    chunk_.problems.add_field(file_.name, meter_field.line, meter_field.column, meter_spec.name,
                                              required_value_missing, "");
                    good = false;
                } else if (!is_clean_text(meter_field.text)) {
                    chunk_.problems.add_field(file_.name, meter_field.line, meter_field.column, meter_spec.name,
                                              parse_field(meter_spec, meter_field.text).error(), meter_field.text);
                    good = false;
                } else {
                    meter = meters_.add(meter_field.text);
                }
            }
            const CsvField& day_field = record.fields[file_.day_field];
            if (const auto parsed = dates_.parse(day_field.text)) {
                day = *parsed;
            } else {
                good = false;
                if (day_field.text.empty())
                    chunk_.problems.add_field(file_.name, day_field.line, day_field.column, day_spec.name,
                                              required_value_missing, "");
                else
                    chunk_.problems.add_field(file_.name, day_field.line, day_field.column, day_spec.name,
                                              parse_field(day_spec, day_field.text).error(), day_field.text);
            }
            const auto imported = register_value(file_, file_.import_field, 2, record, chunk_.problems);
            const auto exported = register_value(file_, file_.export_field, 3, record, chunk_.problems);
            if (imported && exported) {
                import_register = *imported;
                export_register = *exported;
            } else {
                good = false;
            }
        }
        if (good) {
            accept(meter, day, import_register, export_register, record.line);
            return;
        }
        RejectedRecord rejected{record.line, record.raw, {}};
        for (std::size_t p = problems_before; p < chunk_.problems.size(); ++p) {
            if (!rejected.reason.empty()) rejected.reason += "; ";
            rejected.reason += chunk_.problems.problems()[p].reason();
        }
        chunk_.rejected.push_back(std::move(rejected));
        if (chunk_.rejected.size() > file_.max_rejected_rows) chunk_.too_many_rejected = true;
    }

    const DailyFile& file_;
    ColumnSlots slots_;
    DailyChunk chunk_;
    MeterInterner meters_;
    DateParser dates_;
    std::uint32_t previous_meter_ = 0;
    std::int32_t previous_day_ = std::numeric_limits<std::int32_t>::min();
    std::size_t rows_ = 0;
};

DailyChunk parse_chunk(const DailyFile& file, CsvPosition start, std::size_t end_offset, ColumnSlots slots) {
    return ChunkParser(file, slots).run(start, end_offset);
}

// Line feeds and quotes in a range of the file.
struct ByteCounts {
    std::size_t line_feeds = 0;
    std::size_t quotes = 0;
};

// Counts line feeds and quotes in [p, end): byte counters summed every 255 blocks of 16 bytes (SSE2).
ByteCounts count_bytes(const char* p, const char* end) {
    ByteCounts counts;
#if defined(__SSE2__)
    const __m128i line_feed = _mm_set1_epi8('\n');
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i zero = _mm_setzero_si128();
    const auto sum = [&](__m128i counters) {
        const __m128i sums = _mm_sad_epu8(counters, zero);
        return static_cast<std::size_t>(_mm_cvtsi128_si64(sums)) +
               static_cast<std::size_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
    };
    while (end - p >= 16) {
        __m128i line_feeds = zero, quotes = zero;
        for (int block = 0; block < 255 && end - p >= 16; ++block, p += 16) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            line_feeds = _mm_sub_epi8(line_feeds, _mm_cmpeq_epi8(bytes, line_feed));
            quotes = _mm_sub_epi8(quotes, _mm_cmpeq_epi8(bytes, quote));
        }
        counts.line_feeds += sum(line_feeds);
        counts.quotes += sum(quotes);
    }
#endif
    for (; p < end; ++p) {
        counts.line_feeds += *p == '\n';
        counts.quotes += *p == '"';
    }
    return counts;
}

// Chunk boundaries: data_begin, then line starts near equal shares of the data, then the end.
std::vector<std::size_t> split_points(std::string_view content, std::size_t data_begin, unsigned threads) {
    const std::size_t size = content.size();
    const std::size_t bytes = size - data_begin;
    const std::size_t chunks = std::clamp<std::size_t>(bytes / min_chunk_bytes, 1, std::max(threads, 1u));
    std::vector<std::size_t> points{data_begin};
    for (std::size_t k = 1; k < chunks; ++k) {
        const std::size_t at = std::max(points.back(), data_begin + bytes / chunks * k);
        const std::size_t line_feed = content.find('\n', at);
        if (line_feed == std::string_view::npos || line_feed + 1 >= size) break;
        points.push_back(line_feed + 1);
    }
    points.push_back(size);
    return points;
}

// Moves inner boundaries forward, line by line, until an even number of quotes precedes each:
// a line start after an odd number lies inside a quoted field (of well-formed input). Boundaries
// that meet are merged. `quotes[k]` is the number of quotes in chunk k.
void avoid_quoted_boundaries(std::string_view content, std::vector<std::size_t>& points,
                             const std::vector<std::size_t>& quotes) {
    std::vector<std::size_t> moved{points.front()};
    std::size_t quotes_before = 0;  // quotes in [points.front(), points[k])
    for (std::size_t k = 1; k + 1 < points.size(); ++k) {
        quotes_before += quotes[k - 1];
        std::size_t at = points[k];
        std::size_t extra = 0;  // quotes in [points[k], at)
        while ((quotes_before + extra) % 2 != 0 && at < content.size()) {
            const std::size_t line_feed = content.find('\n', at);
            const std::size_t next = line_feed == std::string_view::npos ? content.size() : line_feed + 1;
            extra += static_cast<std::size_t>(std::count(content.begin() + static_cast<std::ptrdiff_t>(at),
                                                         content.begin() + static_cast<std::ptrdiff_t>(next), '"'));
            at = next;
        }
        if (at > moved.back() && at < content.size()) moved.push_back(at);
    }
    moved.push_back(points.back());
    points = std::move(moved);
}

// Runs function(0) ... function(count - 1) on `count` threads (function(0) on the calling one).
template <class Function>
void run_parallel(std::size_t count, const Function& function) {
    std::vector<std::jthread> workers;
    for (std::size_t k = 1; k < count; ++k) workers.emplace_back([&function, k] { function(k); });
    function(0);
}

// Moves `count` rows of every column from row `from` down to row `to`.
void move_rows(DailySeriesRows& rows, std::size_t from, std::size_t to, std::size_t count) {
    if (from == to || count == 0) return;
    std::memmove(rows.meter.data() + to, rows.meter.data() + from, count * sizeof(std::uint32_t));
    std::memmove(rows.day.data() + to, rows.day.data() + from, count * sizeof(std::int32_t));
    std::memmove(rows.import_register.data() + to, rows.import_register.data() + from, count * sizeof(double));
    std::memmove(rows.export_register.data() + to, rows.export_register.data() + from, count * sizeof(double));
}

}  // namespace

DailySeriesParse parse_daily_series(std::string_view file_name, std::string_view content,
                                    const SeriesParseOptions& options, ProblemLog& problems) {
    DailySeriesParse parse;
    parse.file = std::string(file_name);
    const TableSpec& spec = *find_table("ami_daily");
    CsvReader header_reader(content);
    auto layout = read_csv_layout(spec, file_name, header_reader, problems);
    if (!layout) return parse;
    parse.layout = std::move(*layout);
    parse.usable = true;

    DailyFile file;
    file.name = parse.file;
    file.content = content;
    file.spec = &spec;
    file.layout = &parse.layout;
    file.meter_field = static_cast<std::size_t>(parse.layout.column_field[0]);
    file.day_field = static_cast<std::size_t>(parse.layout.column_field[1]);
    file.import_field = parse.layout.column_field[2];
    file.export_field = parse.layout.column_field[3];
    file.max_rejected_rows = options.max_rejected_rows;
    file.progress = options.progress;
    const std::string stage = fmt::format("validating {}", file_name);
    options.progress->stage(stage, "rows", 0);

    // Split at line starts; count each chunk's lines (a bound on its records) and quotes. Each
    // chunk then gets its own region of the columns, so rows are written in place, in parallel,
    // and never copied.
    auto points = split_points(content, parse.layout.data_start.offset, options.threads);
    std::vector<ByteCounts> counts(points.size() - 1);
    const auto count_chunks = [&] {
        counts.assign(points.size() - 1, {});
        run_parallel(counts.size(), [&](std::size_t k) {
            counts[k] = count_bytes(content.data() + points[k], content.data() + points[k + 1]);
        });
    };
    count_chunks();
    if (counts.size() > 1 &&
        std::any_of(counts.begin(), counts.end(), [](const ByteCounts& c) { return c.quotes > 0; })) {
        std::vector<std::size_t> quotes;
        for (const auto& c : counts) quotes.push_back(c.quotes);
        avoid_quoted_boundaries(content, points, quotes);
        count_chunks();
    }
    const std::size_t chunk_count = points.size() - 1;
    parse.threads_used = static_cast<unsigned>(chunk_count);
    std::vector<std::size_t> base(chunk_count + 1, 0);
    // A chunk ends just after a line feed, so its records start at its own line feeds' count of
    // line starts; the last chunk has one more when the file does not end with a line feed.
    for (std::size_t k = 0; k < chunk_count; ++k) base[k + 1] = counts[k].line_feeds;
    if (!content.ends_with('\n') && points[chunk_count] > points[chunk_count - 1]) ++base[chunk_count];
    for (std::size_t k = 0; k < chunk_count; ++k) base[k + 1] += base[k];
    // Two threads size (and so fault in) two columns each.
    DailySeriesRows& rows = parse.rows;
    const std::size_t bound = base[chunk_count];
    options.progress->stage(stage, "rows", bound);
    if (chunk_count > 1) {
        run_parallel(2, [&](std::size_t half) {
            if (half == 0) {
                size_column(rows.meter, bound);
                size_column(rows.import_register, bound);
            } else {
                size_column(rows.day, bound);
                size_column(rows.export_register, bound);
            }
        });
    } else {
        size_column(rows.meter, bound);
        size_column(rows.import_register, bound);
        size_column(rows.day, bound);
        size_column(rows.export_register, bound);
    }
    const auto slots = [&](std::size_t k) {
        return ColumnSlots{rows.meter.data() + base[k], rows.day.data() + base[k],
                           rows.import_register.data() + base[k], rows.export_register.data() + base[k],
                           base[k + 1] - base[k]};
    };

    std::vector<DailyChunk> chunks(chunk_count);
    run_parallel(chunk_count, [&](std::size_t k) {
        const CsvPosition start = k == 0 ? parse.layout.data_start : CsvPosition{points[k], 1};
        chunks[k] = parse_chunk(file, start, points[k + 1], slots(k));
    });

    // Chain the chunks: each must start where the previous stopped, else it is parsed again from
    // there (a split inside badly quoted text). Lines of chunks after the first are relative.
    std::vector<std::int64_t> line_offset(chunk_count, 0);
    for (std::size_t k = 1; k < chunks.size(); ++k) {
        if (chunks[k - 1].too_many_rejected) {
            chunks.resize(k);
            break;
        }
        const CsvPosition stop{chunks[k - 1].stop.offset,
                               static_cast<std::uint32_t>(chunks[k - 1].stop.line + line_offset[k - 1])};
        if (chunks[k].first_record.offset != stop.offset) {
            chunks[k] = parse_chunk(file, stop, points[k + 1], slots(k));
            line_offset[k] = 0;
        } else {
            line_offset[k] = static_cast<std::int64_t>(stop.line) - chunks[k].first_record.line;
        }
    }

    // Merge: global meter indexes, rows moved together, lines, problems and rejections in order.
    MeterInterner meters;
    bool sorted = true;
    bool too_many_rejected = false;
    std::size_t row_count = 0;
    for (std::size_t k = 0; k < chunks.size(); ++k) {
        DailyChunk& chunk = chunks[k];
        std::vector<std::uint32_t> global(chunk.meter_ids.size());
        for (std::size_t i = 0; i < global.size(); ++i) {
            global[i] = meters.intern(chunk.meter_ids[i]);
            if (i > 0 && global[i] <= global[i - 1]) sorted = false;
        }
        if (k > 0) {
            std::uint32_t* meter = rows.meter.data() + base[k];
            for (std::size_t r = 0; r < chunk.row_count; ++r) meter[r] = global[meter[r]];
        }
        move_rows(rows, base[k], row_count, chunk.row_count);
        if (row_count > 0 && chunk.row_count > 0) {
            const std::uint32_t first_meter = rows.meter[row_count];
            const std::uint32_t last_meter = rows.meter[row_count - 1];
            if (first_meter < last_meter ||
                (first_meter == last_meter && rows.day[row_count] <= rows.day[row_count - 1]))
                sorted = false;
        }
        row_count += chunk.row_count;
        sorted = sorted && chunk.sorted;
        too_many_rejected = too_many_rejected || chunk.too_many_rejected;
        parse.lines.append(chunk.lines, line_offset[k]);
        for (auto& problem : chunk.problems.problems())
            problem.line = static_cast<std::uint32_t>(problem.line + line_offset[k]);
        problems.append(std::move(chunk.problems));
        for (auto& rejected : chunk.rejected) {
            rejected.line = static_cast<std::uint32_t>(rejected.line + line_offset[k]);
            parse.rejected.push_back(std::move(rejected));
        }
        parse.rows_read += chunk.rows_read;
    }
    rows.meter.resize(row_count);
    rows.day.resize(row_count);
    rows.import_register.resize(row_count);
    rows.export_register.resize(row_count);
    rows.meter_ids = meters.take_ids();
    if (too_many_rejected) {
        problems.add_file(file_name, fmt::format("more than {} rejected rows: the file was not read further",
                                                 options.max_rejected_rows));
        parse.usable = false;
        return parse;
    }
    if (!sorted) parse.duplicates = find_duplicate_rows<std::int32_t>(rows.meter, rows.day, rows.meter_ids.size());
    return parse;
}

void reject_late_daily_rows(DailySeriesParse& parse, std::string_view content,
                            const std::vector<std::optional<std::string>>& meter_problems, ProblemLog& problems) {
    DailySeriesRows& rows = parse.rows;
    LateRejections late;
    std::vector<bool> bad_meter(rows.meter_ids.size(), false);
    for (std::size_t m = 0; m < rows.meter_ids.size() && m < meter_problems.size(); ++m) {
        if (!meter_problems[m]) continue;
        bad_meter[m] = true;
        late.meters.emplace(rows.meter_ids[m], *meter_problems[m]);
    }
    for (const DuplicateRow& duplicate : parse.duplicates) {
        late.lines.emplace(parse.lines.line_of(duplicate.row),
                           LateRejections::Problem{
                               fmt::format("duplicate key, first on line {}", parse.lines.line_of(duplicate.first_row)),
                               fmt::format("{}, {}", rows.meter_ids[rows.meter[duplicate.row]],
                                           CivilDate::from_days(rows.day[duplicate.row]).to_string())});
    }
    if (late.empty()) return;
    collect_late_rejections(parse.file, content, parse.layout, 0, late, problems, parse.rejected);

    std::vector<bool> keep(rows.size(), true);
    for (std::size_t row = 0; row < rows.size(); ++row) keep[row] = !bad_meter[rows.meter[row]];
    for (const DuplicateRow& duplicate : parse.duplicates) keep[duplicate.row] = false;
    parse.duplicates.clear();

    // Compact the columns, and the meters to those that still have rows.
    std::vector<std::uint32_t> new_meter(rows.meter_ids.size(), UINT32_MAX);
    std::vector<std::string> kept_ids;
    std::size_t out = 0;
    for (std::size_t row = 0; row < rows.size(); ++row) {
        if (!keep[row]) continue;
        std::uint32_t& meter = new_meter[rows.meter[row]];
        if (meter == UINT32_MAX) {
            meter = static_cast<std::uint32_t>(kept_ids.size());
            kept_ids.push_back(rows.meter_ids[rows.meter[row]]);
        }
        rows.meter[out] = meter;
        rows.day[out] = rows.day[row];
        rows.import_register[out] = rows.import_register[row];
        rows.export_register[out] = rows.export_register[row];
        ++out;
    }
    rows.meter.resize(out);
    rows.day.resize(out);
    rows.import_register.resize(out);
    rows.export_register.resize(out);
    rows.meter_ids = std::move(kept_ids);
    parse.lines = parse.lines.filtered(keep);
}

Result<DailyFileCheck> validate_daily_file(const std::filesystem::path& path, const SeriesParseOptions& options) {
    GA_ASSIGN_OR_RETURN(auto content, FileContent::map(path));
    ProblemLog problems;
    DailySeriesParse parse = parse_daily_series("ami_daily.csv", content.bytes(), options, problems);
    reject_late_daily_rows(parse, content.bytes(), {}, problems);
    DailyFileCheck check;
    check.rows_read = parse.rows_read;
    check.rows_accepted = parse.rows.size();
    check.rows_rejected = parse.rejected.size();
    check.meters = parse.rows.meter_ids.size();
    check.problems = problems.size();
    check.threads_used = parse.threads_used;
    return check;
}

}  // namespace gridaudit
