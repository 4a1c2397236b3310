// The sample export and the temporary folder of the ingest tests.
#include "sample_export.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace gridaudit {

ExportFiles sample_export() {
    return {
        {"org_units.csv", "unit_id,parent_id,name,kind\nU1,,Company,company\nU2,U1,County,county\n"},
        {"network.csv",
         "node_id,parent_id,kind,name,unit_id,rated_kva,gateway_meter_id\n"
         "S1,,substation,Main,U2,40000,\n"
         "B1,S1,bus,Bus 1,U2,,\n"
         "F1,B1,feeder,Feeder 1,U2,,\n"
         "A1,F1,area,Area 1,U2,400,G1\n"},
        {"staff.csv", "staff_id,name,unit_id,role\nR1,Wang,U2,reader\n"},
        {"customers.csv",
         "customer_id,name,unit_id,node_id,category,voltage_kv,contracted_kva,tariff_id,status,supply_start,supply_"
         "end\n"
         "C1,Li Ming,U2,A1,residential,0.22,8,RES,active,2019-04-01,\n"
         "C2,Shop,U2,A1,commercial,0.4,30,COM,active,2020-05-01,\n"},
        {"meters.csv",
         "meter_id,customer_id,node_id,model,accuracy_class,phases,rated_current,ct_ratio,pt_ratio,multiplier,"
         "installed_on\n"
         "M1,C1,,DDZY71,2.0,1,5,1,1,1,2019-04-01\n"
         "M2,C2,,DTZY,1.0,3,10,1,1,1,2020-05-01\n"
         "G1,,A1,DTZY,0.5S,3,1.5,200/5,1,40,2018-01-01\n"},
        {"register_reads.csv",
         "meter_id,read_on,register,value,source,reader_id\nM1,2026-10-31,total,1234.5,manual,R1\n"},
        {"ami_daily.csv",
         "meter_id,day,import_register,export_register\n"
         "M1,2026-10-30,1230.1,0\n"
         "M1,2026-10-31,1234.5,0\n"
         "G1,2026-10-31,99.5,\n"},
        {"ami_interval.csv",
         "meter_id,start,minutes,kwh,flags\n"
         "G1,2026-10-31T00:00:00+08:00,15,1.5,\n"
         "G1,2026-10-31T00:15:00+08:00,15,1.25,estimated\n"},
        {"meter_events.csv", "meter_id,at,code\nM1,2026-10-03T02:11:09+08:00,cover_open\n"},
        {"bills.csv",
         "bill_id,customer_id,period,kwh_total,energy_charge,total,issued_on\nB1,C1,2026-10,231,130.58,130.58,"
         "2026-11-03\n"},
        {"payments.csv", "payment_id,bill_id,paid_on,amount,channel\nP1,B1,2026-11-12,130.58,online\n"},
        {"collections.csv", "day,channel,payments,amount\n2026-11-12,online,1,130.58\n"},
        {"work_orders.csv",
         "order_id,customer_id,type,segment,accepted_at,closed_at,staff_id\n"
         "W1,C1,meter_change,residential,2026-10-08T09:30:00+08:00,2026-10-09T10:00:00+08:00,R1\n"},
        {"tariffs/com.json", tariff_json("COM")},
        {"tariffs/res.json", tariff_json("RES")},
    };
}

std::string tariff_json(std::string_view id, std::string_view extra_members) {
    return fmt::format(R"({{"format": "gridaudit-tariff/1", "id": "{}", "name": "Tariff {}", "currency": "CNY",)"
                       "\n"
                       R"( "energy": {{"price": 0.5283}}{}}})"
                       "\n",
                       id, id, extra_members.empty() ? "" : ", " + std::string(extra_members));
}

std::vector<InputFile> as_input_files(const ExportFiles& files) {
    std::vector<InputFile> inputs;
    for (const auto& [name, content] : files) inputs.push_back({name, FileContent::from_string(content), {}});
    return inputs;
}

TemporaryFolder::TemporaryFolder() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("gridaudit-ingest-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
}

TemporaryFolder::~TemporaryFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path TemporaryFolder::write(const std::string& subfolder, const ExportFiles& files) const {
    const auto folder = path_ / subfolder;
    std::filesystem::create_directories(folder);
    for (const auto& [name, content] : files) {
        const auto file = folder / name;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << content;
    }
    return folder;
}

std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace gridaudit
