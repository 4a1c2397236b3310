// Writing the import benchmark's export folder quickly (one buffered write per megabyte).
#include "import_dataset.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace gridaudit {
namespace {

class BufferedFile {
public:
    static Result<BufferedFile> create(const std::filesystem::path& path) {
        std::FILE* file = std::fopen(path.c_str(), "wb");
        if (!file) return external_error(fmt::format("{}: cannot create", path.string()));
        return BufferedFile(file);
    }
    void append(std::string_view text) {
        buffer_.append(text.data(), text.data() + text.size());
        if (buffer_.size() > (1u << 20)) flush();
    }
    fmt::memory_buffer& buffer() { return buffer_; }
    void flush_if_full() {
        if (buffer_.size() > (1u << 20)) flush();
    }
    Status close() {
        flush();
        const bool failed = std::ferror(file_.get()) != 0;
        file_.reset();
        if (failed) return external_error("write failed");
        return {};
    }
    std::uint64_t written() const { return written_; }

private:
    struct Closer {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };
    explicit BufferedFile(std::FILE* file) : file_(file) {}
    void flush() {
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_.get());
        written_ += buffer_.size();
        buffer_.clear();
    }
    std::unique_ptr<std::FILE, Closer> file_;
    fmt::memory_buffer buffer_;
    std::uint64_t written_ = 0;
};

std::uint64_t next_random(std::uint64_t& state) {  // splitmix64
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// Appends a register value given in hundredths as "1234.56".
void append_hundredths(fmt::memory_buffer& out, std::uint64_t hundredths) {
    char digits[24];
    int length = 0;
    std::uint64_t whole = hundredths / 100;
    do {
        digits[length++] = static_cast<char>('0' + whole % 10);
        whole /= 10;
    } while (whole);
    while (length) out.push_back(digits[--length]);
    const unsigned fraction = static_cast<unsigned>(hundredths % 100);
    out.push_back('.');
    out.push_back(static_cast<char>('0' + fraction / 10));
    out.push_back(static_cast<char>('0' + fraction % 10));
}

}  // namespace

Result<ImportDatasetSize> write_import_dataset(const std::filesystem::path& folder, int meters, int days,
                                               std::uint64_t seed) {
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) return external_error(fmt::format("{}: cannot create folder: {}", folder.string(), error.message()));
    const int areas = (meters + 99) / 100;

    GA_ASSIGN_OR_RETURN(auto network, BufferedFile::create(folder / "network.csv"));
    network.append("node_id,parent_id,kind,name,rated_kva\nS1,,substation,Bench substation,50000\n"
                   "B1,S1,bus,Bench bus,\nF1,B1,feeder,Bench feeder,\n");
    for (int a = 0; a < areas; ++a) network.append(fmt::format("A{:06},F1,area,Area {},400\n", a, a));
    GA_TRY(network.close());

    GA_ASSIGN_OR_RETURN(auto customers, BufferedFile::create(folder / "customers.csv"));
    GA_ASSIGN_OR_RETURN(auto meter_file, BufferedFile::create(folder / "meters.csv"));
    customers.append("customer_id,name,node_id,category,voltage_kv,contracted_kva,tariff_id,status,supply_start\n");
    meter_file.append("meter_id,customer_id,model,accuracy_class,phases,rated_current,ct_ratio,pt_ratio,multiplier,"
                      "installed_on\n");
    for (int m = 0; m < meters; ++m) {
        customers.append(fmt::format("C{:07},Customer {},A{:06},residential,0.22,8,RES,active,2020-01-01\n", m, m, m / 100));
        meter_file.append(fmt::format("M{:07},C{:07},DDZY71,2.0,1,5,1,1,1,2020-01-01\n", m, m));
    }
    GA_TRY(customers.close());
    GA_TRY(meter_file.close());

    GA_ASSIGN_OR_RETURN(auto daily, BufferedFile::create(folder / "ami_daily.csv"));
    daily.append("meter_id,day,import_register,export_register\n");
    const CivilDate first = *CivilDate::parse("2025-11-01");
    std::vector<std::string> day_text(static_cast<std::size_t>(days));
    for (int d = 0; d < days; ++d) day_text[static_cast<std::size_t>(d)] = (first + d).to_string();
    std::uint64_t state = seed;
    ImportDatasetSize size;
    for (int m = 0; m < meters; ++m) {
        const std::string meter = fmt::format("M{:07}", m);
        std::uint64_t reading = next_random(state) % 5'000'000;  // hundredths of kWh
        for (int d = 0; d < days; ++d) {
            reading += 300 + next_random(state) % 1500;
            auto& out = daily.buffer();
            out.append(meter.data(), meter.data() + meter.size());
            out.push_back(',');
            const auto& day = day_text[static_cast<std::size_t>(d)];
            out.append(day.data(), day.data() + day.size());
            out.push_back(',');
            append_hundredths(out, reading);
            out.push_back(',');
            if (next_random(state) % 50 != 0) out.push_back('0');  // 2 % of export registers empty
            out.push_back('\n');
            daily.flush_if_full();
            ++size.daily_rows;
        }
    }
    GA_TRY(daily.close());
    size.daily_bytes = daily.written();
    return size;
}

}  // namespace gridaudit
