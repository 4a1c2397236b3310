// `gridaudit report --db DB [--period YYYY-MM] --out FILE.xlsx|FILE.html|FILE.pdf [--purchase-price P]
//  [--policy FILE] [--as-of DATE] [--top N] [--now INSTANT] [--quiet]`: the monthly quantity-price-loss
//  analysis, the audit's findings summary and the closed loop's KPIs of one period, as an Excel
//  workbook, a self-contained HTML page, or that page printed to PDF by Chromium.
#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <optional>

#include "cli/command.hpp"
#include "cli/date_options.hpp"
#include "cli/policy_option.hpp"
#include "cli/progress_line.hpp"
#include "report/report_html.hpp"
#include "report/report_model.hpp"
#include "report/pdf_printing.hpp"
#include "report/report_xlsx.hpp"
#include "store/postgres_store.hpp"

namespace gridaudit {

CommandRegistration register_report_command(CLI::App& app) {
    struct Arguments {
        std::string db, period, out, policy, as_of, now;
        double purchase_price = 0;
        std::size_t top = 50;
        bool quiet = false;
    };
    auto args = std::make_shared<Arguments>();
    auto* command = app.add_subcommand(
        "report", "Monthly analysis report: line loss by level and org unit, prices, findings (see docs/report.md)");
    command->add_option("--db", args->db, "Store: a SQLite file path or a postgresql:// URI")->required();
    command->add_option("--period", args->period, "Month (YYYY-MM); default: the last month with data");
    command->add_option("--out", args->out, "Output file: FILE.xlsx (Excel workbook), FILE.html (one page) or FILE.pdf (the page printed by Chromium)")
        ->required();
    command->add_option("--purchase-price", args->purchase_price,
                        "Purchase price per kWh for purchase cost, margin and the cost of the loss");
    command->add_option("--policy", args->policy, "Policy file (gridaudit.toml): rule parameters and loss thresholds");
    command->add_option("--as-of", args->as_of, "The audit's today (YYYY-MM-DD); default: last day with data");
    command->add_option("--top", args->top, "How many findings the top-findings table lists")->capture_default_str();
    command->add_option("--now", args->now,
                        "The KPIs' now, an ISO instant: open and overdue cases are counted on the earlier of its day "
                        "and the month's last day (default: the clock)");
    command->add_flag("--quiet", args->quiet, "No progress line on a terminal");
    return {
        command, [args]() -> Result<int> {
            const std::filesystem::path out(args->out);
            std::string extension = out.extension().string();
            std::transform(extension.begin(), extension.end(), extension.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (extension != ".xlsx" && extension != ".html" && extension != ".htm" && extension != ".pdf")
                return user_error(fmt::format("--out must end in .xlsx, .html or .pdf ({})", args->out));
            std::optional<PdfPrinting> printing;
            if (extension == ".pdf") {
                const auto chromium = find_chromium();
                if (!chromium)
                    return external_error("a PDF is printed by Debian's chromium, which is not installed (apt-get "
                                          "install chromium, or set GRIDAUDIT_CHROMIUM; or write .html)");
                printing = PdfPrinting{*chromium};
            }
            ReportOptions options;
            options.purchase_price_per_kwh = args->purchase_price;
            options.top_findings = args->top;
            if (args->purchase_price < 0)
                return user_error(fmt::format("--purchase-price must not be negative ({})", args->purchase_price));
            GA_ASSIGN_OR_RETURN(options.period, period_option("--period", args->period));
            GA_ASSIGN_OR_RETURN(options.as_of, date_option("--as-of", args->as_of));
            options.now = Instant::from_unix_seconds(
                std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())
                    .time_since_epoch()
                    .count());
            if (!args->now.empty()) {
                options.now = Instant::parse(args->now);
                if (!options.now) return user_error(fmt::format("--now must be an ISO instant ({})", args->now));
            }
            if (!is_postgres_location(args->db) && !std::filesystem::exists(args->db))
                return user_error(
                    fmt::format("no store at {} (run `gridaudit import --db {} DIR` first)", args->db, args->db));
            GA_ASSIGN_OR_RETURN(const Policy policy, load_policy_option(args->policy));
            GA_ASSIGN_OR_RETURN(auto store, Store::open(args->db, StoreOpening::existing_only));
            const auto started = std::chrono::steady_clock::now();
            // The report's model is built in one call that tells nothing on the way (the loss analysis,
            // the audit, the KPIs): its stage shows how long it has run.
            TerminalProgress progress(args->quiet);
            progress.observer().stage("analysing the period (loss, audit, KPIs)", "", 0);
            GA_ASSIGN_OR_RETURN(const ReportModel model, build_report(*store, standard_catalogue(), policy, options));
            progress.observer().stage(fmt::format("writing {}", out.filename().string()), "", 0);
            const std::vector<ReportTable> tables = report_tables(model);
            const std::vector<ReportChart> charts = report_charts(model);
            const std::string heading =
                fmt::format("GridAudit monthly analysis {} (月度量价损分析)", model.period.to_string());
            if (extension == ".xlsx")
                GA_TRY(write_report_xlsx(tables, charts, out));
            else if (printing)
                GA_TRY(print_html_to_pdf(render_report_html(tables, charts, heading), out, *printing));
            else
                GA_TRY(write_report_html(tables, charts, heading, out));
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            progress.clear();
            std::size_t nodes = 0;
            for (const auto& level : model.levels) nodes += level.rows.size();
            fmt::print("report {}: {} node rows, {} unit rows, {} findings -> {} ({:.2f} s)\n",
                       model.period.to_string(), nodes, model.units.size(), model.findings.total.count, out.string(),
                       seconds);
            return 0;
        }};
}

}  // namespace gridaudit
