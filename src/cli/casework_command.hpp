// The subcommands of `gridaudit cases` for what a case recovers and writes (issue 14):
// back-billing, approve, pay, payments, document, feedback (docs/cases.md, docs/cli.md). They are
// added to the `cases` command, which opens the store, resolves the actor and the clock and calls
// run() with them.
// Thread safety: used by the one thread of the command line.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

#include "access/actor.hpp"
#include "cases/case_workflow.hpp"
#include "core/result.hpp"
#include "rules/policy.hpp"
#include "store/store.hpp"

namespace gridaudit {

class CaseworkSubcommands {
public:
    explicit CaseworkSubcommands(CLI::App& cases);

    // The exit code of the chosen subcommand; nullopt when none of these was chosen.
    [[nodiscard]] std::optional<Result<int>> run(Store& store, CaseWorkflow& workflow, const Policy& policy,
                                                 const Actor& actor, Instant now);

private:
    struct Arguments;
    std::shared_ptr<Arguments> args_;
    CLI::App* back_billing_ = nullptr;
    CLI::App* approve_ = nullptr;
    CLI::App* pay_ = nullptr;
    CLI::App* payments_ = nullptr;
    CLI::App* document_ = nullptr;
    CLI::App* feedback_ = nullptr;
};

}  // namespace gridaudit
