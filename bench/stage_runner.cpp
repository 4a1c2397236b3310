// fork/wait4-based stage measurement.
#include "stage_runner.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

namespace gridaudit {
namespace {

ProgressObserver* stage_progress = &null_progress();

}  // namespace

void report_stages_to(ProgressObserver& observer) {
    stage_progress = &observer;
}

Result<StageMeasurement> run_stage(const std::string& name, const std::function<Result<std::uint64_t>()>& body) {
    int channel[2];
    if (pipe(channel) != 0) return external_error("pipe failed");
    stage_progress->stage(name, "", 0);
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t child = fork();
    if (child < 0) return external_error("fork failed");
    if (child == 0) {
        close(channel[0]);
        const auto started = std::chrono::steady_clock::now();
        const auto result = body();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const std::string message = result ? fmt::format("ok {} {}", *result, seconds)
                                           : fmt::format("error {}", result.error().message());
        [[maybe_unused]] const auto written = write(channel[1], message.data(), message.size());
        close(channel[1]);
        _exit(result ? 0 : 1);
    }
    close(channel[1]);
    std::string message;
    char buffer[4096];
    ssize_t got;
    while ((got = read(channel[0], buffer, sizeof buffer)) > 0) message.append(buffer, static_cast<std::size_t>(got));
    close(channel[0]);
    int status = 0;
    rusage usage{};
    const pid_t waited = wait4(child, &status, 0, &usage);
    stage_progress->finish();
    if (waited < 0) return external_error("wait4 failed");
    if (message.rfind("ok ", 0) != 0) {
        if (message.rfind("error ", 0) == 0) return external_error(fmt::format("stage {}: {}", name, message.substr(6)));
        return external_error(fmt::format("stage {} died (status {})", name, status));
    }
    StageMeasurement measurement;
    measurement.name = name;
    std::sscanf(message.c_str() + 3, "%lu %lf", &measurement.items, &measurement.seconds);
    measurement.peak_rss_bytes = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
    return measurement;
}

std::string machine_description() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line, model = "unknown CPU";
    while (std::getline(cpuinfo, line))
        if (line.rfind("model name", 0) == 0) {
            model = line.substr(line.find(':') + 2);
            break;
        }
    std::ifstream meminfo("/proc/meminfo");
    double gib = 0;
    while (std::getline(meminfo, line))
        if (line.rfind("MemTotal:", 0) == 0) gib = std::stod(line.substr(9)) / (1024.0 * 1024.0);
    return fmt::format("{}, {} cores, {:.1f} GiB", model, std::thread::hardware_concurrency(), gib);
}

}  // namespace gridaudit
