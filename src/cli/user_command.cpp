// `gridaudit user add|list|disable|enable|passwd|log --db DB ...`: the users of a store and the
// audit log of what they did (docs/users.md).
//
// The operator runs these as the system actor (an administrator of the whole utility). A password
// is read from stdin when stdin is not a terminal (its first line), else typed twice at a prompt
// without echo; it is never an argument. The store must exist (a mistyped path is an error).
#include <fmt/core.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "access/audit_trail.hpp"
#include "access/user_accounts.hpp"
#include "cli/command.hpp"
#include "store/store.hpp"

namespace gridaudit {
namespace {

struct UserArguments {
    std::string db, name, role, unit, object;
    std::size_t limit = 50;
    bool json = false;
};

Instant wall_clock_now() {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    return Instant::from_unix_seconds(now.time_since_epoch().count());
}

// One line from stdin without its line ending; false at the end of input.
bool read_line(std::string& line) {
    if (!std::getline(std::cin, line)) return false;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
}

// A line typed at the terminal with echo off.
Result<std::string> prompt_without_echo(std::string_view prompt) {
    fmt::print(stderr, "{}", prompt);
    std::fflush(stderr);
    termios saved{};
    const bool terminal = tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    const bool read = read_line(line);
    if (terminal) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    fmt::print(stderr, "\n");
    if (!read) return user_error("no password given");
    return line;
}

// The new password of `username`: stdin's first line, or typed twice at the terminal.
Result<std::string> read_new_password(std::string_view username) {
    if (isatty(STDIN_FILENO) == 0) {
        std::string line;
        if (!read_line(line) || line.empty())
            return user_error("no password on stdin: give it as the first line (it is never an argument)");
        return line;
    }
    GA_ASSIGN_OR_RETURN(std::string first, prompt_without_echo(fmt::format("New password for {}: ", username)));
    GA_TRY(check_password_policy(first));
    GA_ASSIGN_OR_RETURN(const std::string second, prompt_without_echo("Repeat it: "));
    if (first != second) return user_error("the two passwords differ");
    return first;
}

std::string unit_text(const std::string& unit_id) {
    return unit_id.empty() ? "the whole utility" : "unit " + unit_id;
}

nlohmann::json user_json(const UserSummary& user) {
    return nlohmann::json{{"user_id", user.user_id},
                          {"username", user.username},
                          {"role", role_name(user.role)},
                          {"unit_id", user.unit_id},
                          {"disabled", user.disabled},
                          {"created_at", user.created_at.to_string(0)},
                          {"password_changed_at", user.password_changed_at.to_string(0)}};
}

Result<int> run_add(const UserArguments& args) {
    GA_ASSIGN_OR_RETURN(const Role role, parse_role(args.role));
    GA_TRY(check_username(args.name));
    GA_ASSIGN_OR_RETURN(auto store, Store::open(args.db, StoreOpening::existing_only));
    GA_ASSIGN_OR_RETURN(const std::string password, read_new_password(args.name));
    GA_ASSIGN_OR_RETURN(const auto user, add_user(store->access(), Actor::system(), {args.name, role, args.unit},
                                                  password, wall_clock_now()));
    if (args.json)
        fmt::print("{}\n", user_json(user).dump(2));
    else
        fmt::print("added user {} ({}, {})\n", user.username, role_name(user.role), unit_text(user.unit_id));
    return 0;
}

Result<int> run_list(const UserArguments& args) {
    GA_ASSIGN_OR_RETURN(auto store, Store::open(args.db, StoreOpening::existing_only));
    GA_ASSIGN_OR_RETURN(const auto users, list_users(store->access(), Actor::system()));
    if (args.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& user : users) list.push_back(user_json(user));
        fmt::print("{}\n", nlohmann::json{{"users", list}}.dump(2));
        return 0;
    }
    if (users.empty()) {
        fmt::print("no users; add one with gridaudit user add\n");
        return 0;
    }
    fmt::print("{:<24} {:<14} {:<16} {:<9} {}\n", "username", "role", "unit", "status", "password changed");
    for (const auto& user : users)
        fmt::print("{:<24} {:<14} {:<16} {:<9} {}\n", user.username, role_name(user.role),
                   user.unit_id.empty() ? "(whole utility)" : user.unit_id, user.disabled ? "disabled" : "active",
                   user.password_changed_at.to_string(0));
    return 0;
}

Result<int> run_disable(const UserArguments& args, bool disabled) {
    GA_ASSIGN_OR_RETURN(auto store, Store::open(args.db, StoreOpening::existing_only));
    GA_TRY(set_user_disabled(store->access(), Actor::system(), args.name, disabled, wall_clock_now()));
    if (disabled)
        fmt::print("disabled user {}; their sessions are ended\n", args.name);
    else
        fmt::print("enabled user {}\n", args.name);
    return 0;
}

Result<int> run_passwd(const UserArguments& args) {
    GA_ASSIGN_OR_RETURN(auto store, Store::open(args.db, StoreOpening::existing_only));
    GA_ASSIGN_OR_RETURN(const auto user, store->access().user_by_name(args.name));
    if (!user) return refusal_error(Refusal::not_found, fmt::format("no user named {}", args.name));
    GA_ASSIGN_OR_RETURN(const std::string password, read_new_password(args.name));
    GA_TRY(change_password(store->access(), Actor::system(), args.name, password, wall_clock_now()));
    fmt::print("changed the password of {}; their sessions are ended\n", args.name);
    return 0;
}

// An entry's before or after state as JSON (null when there is none).
nlohmann::json state_json(const std::string& text) {
    if (text.empty()) return nullptr;
    return nlohmann::json::parse(text, nullptr, false);
}

Result<int> run_log(const UserArguments& args) {
    GA_ASSIGN_OR_RETURN(auto store, Store::open(args.db, StoreOpening::existing_only));
    AuditLogFilter filter;
    filter.limit = args.limit;
    if (!args.name.empty()) {
        GA_ASSIGN_OR_RETURN(const auto user, store->access().user_by_name(args.name));
        if (!user && args.name != "system")
            return refusal_error(Refusal::not_found, fmt::format("no user named {}", args.name));
        filter.actor_user_id = user ? user->user_id : 0;
    }
    if (!args.object.empty()) {
        const auto colon = args.object.find(':');
        filter.object_kind = args.object.substr(0, colon);
        if (colon != std::string::npos) filter.object_id = args.object.substr(colon + 1);
    }
    GA_ASSIGN_OR_RETURN(const auto entries, read_audit_trail(store->access(), Actor::system(), filter));
    if (args.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& entry : entries)
            list.push_back({{"entry_id", entry.entry_id},
                            {"at", entry.at.to_string(0)},
                            {"actor_user_id", entry.actor_user_id},
                            {"actor", entry.actor},
                            {"action", entry.action},
                            {"object_kind", entry.object_kind},
                            {"object_id", entry.object_id},
                            {"before", state_json(entry.before_json)},
                            {"after", state_json(entry.after_json)}});
        fmt::print("{}\n", nlohmann::json{{"entries", list}}.dump(2));
        return 0;
    }
    if (entries.empty()) fmt::print("no audit log entries\n");
    for (const auto& entry : entries)
        fmt::print("{}  {:<16} {:<18} {}:{}  {}\n", entry.at.to_string(0), entry.actor, entry.action, entry.object_kind,
                   entry.object_id, entry.after_json.empty() ? "(deleted)" : entry.after_json);
    return 0;
}

}  // namespace

CommandRegistration register_user_command(CLI::App& app) {
    auto args = std::make_shared<UserArguments>();
    auto* command =
        app.add_subcommand("user", "Add, list, disable and enable users, set passwords; the audit log (docs/users.md)");
    command->require_subcommand(1);
    auto add_db = [&args](CLI::App* sub) {
        sub->add_option("--db", args->db, "Store: a SQLite file path")->required();
    };

    auto* add = command->add_subcommand("add", "Add a user; the password is read from stdin or a prompt");
    add_db(add);
    add->add_option("--name", args->name, "Username: a-z, 0-9, '.', '_', '-'")->required();
    add->add_option("--role", args->role, "clerk, analyst, inspector, supervisor or administrator")->required();
    add->add_option("--unit", args->unit, "Org unit (org_units.csv unit_id); default: the whole utility");
    add->add_flag("--json", args->json, "The added user as one JSON document on stdout");

    auto* list = command->add_subcommand("list", "List the users with role, unit and status");
    add_db(list);
    list->add_flag("--json", args->json, "One JSON document on stdout");

    auto* disable = command->add_subcommand("disable", "Disable a user and end their sessions");
    add_db(disable);
    disable->add_option("--name", args->name, "Username")->required();

    auto* enable = command->add_subcommand("enable", "Enable a disabled user again");
    add_db(enable);
    enable->add_option("--name", args->name, "Username")->required();

    auto* passwd = command->add_subcommand("passwd", "Set a user's password (stdin or prompt) and end their sessions");
    add_db(passwd);
    passwd->add_option("--name", args->name, "Username")->required();

    auto* log = command->add_subcommand("log", "The audit log: who changed what, when, before and after");
    add_db(log);
    log->add_option("--name", args->name, "Only the entries written by this user (system: the operator)");
    log->add_option("--object", args->object, "Only the entries of this object: KIND or KIND:ID (user:3, case:17)");
    log->add_option("--limit", args->limit, "The newest N entries")->capture_default_str();
    log->add_flag("--json", args->json, "One JSON document on stdout");

    return {command, [args, add, list, disable, enable, passwd, log]() -> Result<int> {
                if (add->parsed()) return run_add(*args);
                if (list->parsed()) return run_list(*args);
                if (disable->parsed()) return run_disable(*args, true);
                if (enable->parsed()) return run_disable(*args, false);
                if (passwd->parsed()) return run_passwd(*args);
                if (log->parsed()) return run_log(*args);
                return user_error("give one of add, list, disable, enable, passwd, log");
            }};
}

}  // namespace gridaudit
