// The HTTP API benchmark: a generated, imported and audited utility served in-process and loaded
// with wrk (see api_benchmark.hpp).
#include "api_benchmark.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "access/user_accounts.hpp"
#include "audit/audit_run.hpp"
#include "cases/case_workflow.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"
#include "rules/catalogue.hpp"
#include "server/api_server.hpp"
#include "stage_runner.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* bench_user = "bench.admin";
constexpr const char* bench_password = "bench-password-1";

double seconds_since(Clock::time_point started) {
    return std::chrono::duration<double>(Clock::now() - started).count();
}

// The user the load signs in as (an administrator sees every finding and case), and cases for the
// reads and the transitions as `gridaudit cases open` opens them, unless the store has them.
Status add_user_and_cases(Store& store) {
    const Instant now = Instant::from_unix_seconds(std::time(nullptr));
    const auto added =
        add_user(store.access(), Actor::system(), NewUser{bench_user, Role::administrator, ""}, bench_password, now);
    if (!added && added.error().refusal() != Refusal::conflict) return std::unexpected(added.error());
    GA_ASSIGN_OR_RETURN(CasePolicy case_policy, CasePolicy::from(Policy()));
    GA_ASSIGN_OR_RETURN(CaseWorkflow workflow, CaseWorkflow::open(store, std::move(case_policy)));
    CaseFilter open_cases;
    open_cases.open_only = true;
    GA_ASSIGN_OR_RETURN(const std::vector<Case> existing, workflow.list(Actor::system(), open_cases));
    if (!existing.empty()) return {};
    OpenOptions open;
    open.limit = 200;
    GA_ASSIGN_OR_RETURN(const OpeningReport opened, workflow.open_by_policy(Actor::system(), now, open));
    fmt::print("  {} cases opened by the policy\n", opened.opened);
    std::fflush(stdout);
    return {};
}

Status prepare(const ApiBenchmarkOptions& options, const fs::path& dir) {
    const fs::path db = dir / "gridaudit.db";
    if (options.reuse) {
        if (!fs::exists(db)) return user_error(fmt::format("bench api --reuse: no store at {}", db.string()));
        fmt::print("Reusing the store {}\n", db.string());
        GA_ASSIGN_OR_RETURN(auto store, Store::open(db.string(), StoreOpening::existing_only));
        return add_user_and_cases(*store);
    }
    fs::create_directories(dir);
    auto started = Clock::now();
    GeneratorOptions generator;
    generator.out = dir / "export";
    generator.customers = options.customers;
    generator.days = options.days;
    generator.seed = options.seed;
    GA_TRY(generate_utility(generator));
    fmt::print("  generate {} customers x {} days: {:.1f} s\n", options.customers, options.days,
               seconds_since(started));
    std::fflush(stdout);
    started = Clock::now();
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix, ignored);
    GA_ASSIGN_OR_RETURN(auto store, Store::open(db.string()));
    GA_ASSIGN_OR_RETURN(const ImportReport report, import_folder(*store, generator.out, ImportFolderOptions{}));
    (void)report;
    fmt::print("  import: {:.1f} s\n", seconds_since(started));
    std::fflush(stdout);
    started = Clock::now();
    GA_ASSIGN_OR_RETURN(const AuditSummary summary, run_audit(*store, standard_catalogue(), Policy(), AuditOptions{}));
    fmt::print("  audit: {} findings, {:.1f} s\n", summary.findings.size(), seconds_since(started));
    std::fflush(stdout);
    return add_user_and_cases(*store);
}

Result<std::string> login_token(httplib::Client& client) {
    const auto result =
        client.Post("/api/login", nlohmann::json{{"username", bench_user}, {"password", bench_password}}.dump(),
                    "application/json");
    if (!result || result->status != 200)
        return internal_error(
            fmt::format("bench api: login failed ({})", result ? result->body : httplib::to_string(result.error())));
    return nlohmann::json::parse(result->body).at("token").get<std::string>();
}

// What wrk measured, from the line the Lua script's done() prints.
struct LoadFigures {
    std::uint64_t requests = 0;
    double seconds = 0;
    std::uint64_t errors = 0;  // connect, read, write, timeout, and non-2xx statuses
    double p50_ms = 0, p99_ms = 0, max_ms = 0;
    [[nodiscard]] double per_second() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0; }
};

// A wrk script that sends the paths in turn (each wrk thread from its own offset) with the token.
std::string wrk_script(const std::vector<std::string>& paths, const std::string& token) {
    std::string script = "local paths = {\n";
    for (const std::string& path : paths) script += fmt::format("  \"{}\",\n", path);
    script += "}\n";
    script += fmt::format("local headers = {{[\"Authorization\"] = \"Bearer {}\"}}\n", token);
    script += R"(local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("GRIDAUDIT-WRK %d %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout + e.status, latency:percentile(50), latency:percentile(99),
    latency.max, 0, 0))
end
)";
    return script;
}

Result<LoadFigures> run_wrk(const ApiBenchmarkOptions& options, const fs::path& dir, int port,
                            const std::vector<std::string>& paths, const std::string& token) {
    const fs::path script = dir / "api-reads.lua";
    std::ofstream(script) << wrk_script(paths, token);
    const std::string command =
        fmt::format("wrk -t{} -c{} -d{}s --timeout 5s -s {} http://127.0.0.1:{} 2>&1", options.wrk_threads,
                    options.connections, options.seconds, script.string(), port);
    std::FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return external_error("bench api: cannot run wrk");
    std::string output;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    const int status = ::pclose(pipe);
    const std::size_t at = output.find("GRIDAUDIT-WRK ");
    if (status != 0 || at == std::string::npos)
        return external_error(fmt::format("bench api: wrk failed (is /usr/bin/wrk installed?): {}", output));
    std::istringstream line(output.substr(at + 14));
    std::uint64_t requests = 0, duration_us = 0, errors = 0, p50 = 0, p99 = 0, max = 0;
    line >> requests >> duration_us >> errors >> p50 >> p99 >> max;
    return LoadFigures{requests, static_cast<double>(duration_us) / 1e6, errors, p50 / 1e3, p99 / 1e3, max / 1e3};
}

// Transitions under load: `threads` clients, each working its own case: walked to onsite_check, then
// concluded (no problem) and returned to onsite_check in turn for `seconds`, each transition with the
// version the previous answer gave. Every answer's latency is kept.
struct TransitionFigures {
    std::uint64_t transitions = 0, errors = 0;
    double seconds = 0, p50_ms = 0, p99_ms = 0, max_ms = 0;
    [[nodiscard]] double per_second() const { return seconds > 0 ? static_cast<double>(transitions) / seconds : 0; }
};

Result<TransitionFigures> run_transitions(int port, const std::string& token, const std::vector<std::int64_t>& case_ids,
                                          int seconds) {
    std::vector<std::vector<double>> latencies(case_ids.size());
    std::vector<std::uint64_t> errors(case_ids.size(), 0);
    std::vector<std::string> failures(case_ids.size());
    const auto started = Clock::now();
    const auto until = started + std::chrono::seconds(seconds);
    std::vector<std::thread> workers;
    for (std::size_t w = 0; w < case_ids.size(); ++w) {
        workers.emplace_back([&, w] {
            httplib::Client client("127.0.0.1", port);
            client.set_bearer_token_auth(token);
            client.set_read_timeout(30);
            const std::string path = fmt::format("/api/cases/{}", case_ids[w]);
            const auto shown = client.Get(path);
            if (!shown || shown->status != 200) {
                failures[w] = "cannot read " + path;
                return;
            }
            auto current = nlohmann::json::parse(shown->body);
            const auto post = [&](const std::string& route, const nlohmann::json& body) -> bool {
                const auto begun = Clock::now();
                const auto result = client.Post(path + route, body.dump(), "application/json");
                latencies[w].push_back(std::chrono::duration<double, std::milli>(Clock::now() - begun).count());
                if (!result || result->status != 200) {
                    ++errors[w];
                    if (failures[w].empty()) failures[w] = result ? result->body : "no answer";
                    return false;
                }
                current = nlohmann::json::parse(result->body);
                return true;
            };
            while (Clock::now() < until) {
                const std::string state = current.at("state");
                const auto version = current.at("version").get<std::int64_t>();
                bool ok = true;
                if (state == "new")
                    ok = post("/assign", {{"assignee", bench_user}, {"version", version}});
                else if (state == "assigned")
                    ok = post("/transitions", {{"to", "online_check"}, {"version", version}});
                else if (state == "online_check")
                    ok = post("/transitions", {{"to", "onsite_check"}, {"version", version}});
                else if (state == "onsite_check")
                    ok =
                        post("/transitions", {{"to", "concluded"}, {"version", version}, {"conclusion", "no_problem"}});
                else if (state == "concluded")
                    ok = post("/transitions", {{"to", "onsite_check"}, {"version", version}, {"note", "bench"}});
                else {
                    failures[w] = "case in state " + state;
                    return;
                }
                if (!ok) return;
            }
        });
    }
    for (auto& worker : workers) worker.join();
    TransitionFigures figures;
    figures.seconds = seconds_since(started);
    std::vector<double> all;
    for (std::size_t w = 0; w < case_ids.size(); ++w) {
        all.insert(all.end(), latencies[w].begin(), latencies[w].end());
        figures.errors += errors[w];
        if (!failures[w].empty()) fmt::print("  transitions on case {}: {}\n", case_ids[w], failures[w]);
    }
    figures.transitions = all.size() - figures.errors;
    std::sort(all.begin(), all.end());
    if (!all.empty()) {
        figures.p50_ms = all[all.size() / 2];
        figures.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
        figures.max_ms = all.back();
    }
    return figures;
}

}  // namespace

Result<int> run_api_benchmark(const ApiBenchmarkOptions& options) {
    if (options.customers < 200 || options.seconds < 1 || options.connections < 1 || options.wrk_threads < 1)
        return user_error("bench api: at least 200 customers, 1 second, 1 connection and 1 wrk thread");
    fs::path dir = options.dir;
    if (dir.empty()) dir = fs::temp_directory_path() / fmt::format("gridaudit-bench-api-{}", getpid());
    fmt::print(
        "API benchmark: {} customers x {} days; wrk {} s, {} connections, {} wrk thread(s)\nMachine: {}\n\n"
        "Preparation (not part of the target):\n",
        options.customers, options.days, options.seconds, options.connections, options.wrk_threads,
        machine_description());
    std::fflush(stdout);
    GA_TRY(prepare(options, dir));
    const fs::path verdict = dir / "api-verdict";

    GA_ASSIGN_OR_RETURN(
        const auto stage, run_stage("serve + load", [&]() -> Result<std::uint64_t> {
            ApiServerOptions server_options;
            server_options.router.db = (dir / "gridaudit.db").string();
            server_options.port = 0;
            server_options.threads = static_cast<std::size_t>(options.connections) + 2;
            server_options.load_at_start = false;
            GA_ASSIGN_OR_RETURN(auto server, ApiServer::start(std::move(server_options)));
            httplib::Client client("127.0.0.1", server->port());
            client.set_read_timeout(600);
            GA_ASSIGN_OR_RETURN(const std::string token, login_token(client));
            client.set_bearer_token_auth(token);

            auto started = Clock::now();
            const auto first = client.Get("/api/findings?page_size=1");
            if (!first || first->status != 200)
                return internal_error(fmt::format("bench api: the first findings read failed ({})",
                                                  first ? first->body : httplib::to_string(first.error())));
            const auto total = nlohmann::json::parse(first->body).at("total").get<std::int64_t>();
            fmt::print("\n  server on port {}; first read (loads the regions): {:.2f} s; {} findings\n", server->port(),
                       seconds_since(started), total);
            std::fflush(stdout);

            std::vector<std::string> paths;
            for (int page = 1; page <= 10; ++page) paths.push_back(fmt::format("/api/findings?page={}", page));
            for (const char* filter : {"area=METER", "area=LOSS&sort=-kwh_at_risk", "severity=high,critical",
                                       "active=true&sort=rule_id", "unit=U0101001", "period=2026-10&page_size=20"})
                paths.push_back(fmt::format("/api/findings?{}", filter));
            for (std::int64_t id = 1; id <= std::min<std::int64_t>(total, 40); id += 3)
                paths.push_back(fmt::format("/api/findings/{}", id));

            const auto listed = client.Get("/api/cases?open=true&page_size=500");
            if (!listed || listed->status != 200)
                return internal_error(
                    fmt::format("bench api: the case list failed ({})", listed ? listed->body : "no answer"));
            std::vector<std::int64_t> case_ids, workable;
            const nlohmann::json listed_cases = nlohmann::json::parse(listed->body);
            for (const auto& c : listed_cases.at("items")) {
                case_ids.push_back(c.at("case_id").get<std::int64_t>());
                const std::string state = c.at("state");
                if (state != "back_billing" && state != "recovery") workable.push_back(case_ids.back());
            }
            fmt::print("  {} open cases\n", case_ids.size());
            for (int page = 1; page <= 3; ++page) paths.push_back(fmt::format("/api/cases?page={}&page_size=20", page));
            paths.push_back("/api/cases?state=new&sort=-money_at_risk");
            for (std::size_t i = 0; i < std::min<std::size_t>(case_ids.size(), 10); ++i)
                paths.push_back(fmt::format("/api/cases/{}", case_ids[i]));

            GA_ASSIGN_OR_RETURN(const LoadFigures reads, run_wrk(options, dir, server->port(), paths, token));
            fmt::print("  {:<34} {:>10} {:>10} {:>9} {:>9} {:>9} {:>7}\n", "load", "requests", "req/s", "p50 ms",
                       "p99 ms", "max ms", "errors");
            fmt::print("  {:<34} {:>10} {:>10.0f} {:>9.2f} {:>9.2f} {:>9.2f} {:>7}\n", "finding and case reads (wrk)",
                       reads.requests, reads.per_second(), reads.p50_ms, reads.p99_ms, reads.max_ms, reads.errors);
            std::fflush(stdout);
            // The last workable cases, not the first ten the reads show: each run adds hundreds of events to the
            // cases it moves, which a store reused run after run would otherwise carry into the reads.
            if (workable.size() > 4) workable.erase(workable.begin(), workable.end() - 4);
            if (workable.empty()) return internal_error("bench api: no open case to transition");
            GA_ASSIGN_OR_RETURN(const TransitionFigures moves,
                                run_transitions(server->port(), token, workable, options.seconds));
            fmt::print("  {:<34} {:>10} {:>10.0f} {:>9.2f} {:>9.2f} {:>9.2f} {:>7}\n",
                       fmt::format("case transitions ({} clients)", workable.size()), moves.transitions,
                       moves.per_second(), moves.p50_ms, moves.p99_ms, moves.max_ms, moves.errors);
            std::fflush(stdout);
            const bool meets = reads.per_second() >= 2000 && reads.p99_ms < 50 && reads.errors == 0 &&
                               moves.per_second() >= 200 && moves.errors == 0;
            std::ofstream(verdict) << (meets ? "meets" : "misses");
            server->stop();
            return reads.requests;
        }));
    std::ifstream in(verdict);
    std::string outcome;
    in >> outcome;
    fmt::print("\n  {:<28} {:>8.2f} s {:>9.1f} MB peak (the server's process, the regions loaded)\n", stage.name,
               stage.seconds, static_cast<double>(stage.peak_rss_bytes) / 1e6);
    const bool meets = outcome == "meets";
    fmt::print("Targets: reads >= 2,000 requests/s with p99 < 50 ms, transitions >= 200/s, no errors: {}\n",
               meets ? "meets" : "MISSES");
    if (!options.keep && options.dir.empty()) {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
    return meets ? 0 : 1;
}

}  // namespace gridaudit
