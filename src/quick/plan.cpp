#include "quick/plan.hpp"

#include <cstdio>

namespace wgx::quick {

void echo_to_stderr(const std::string& command) {
    std::fprintf(stderr, "[#] %s\n", command.c_str());
    std::fflush(stderr);
}

Plan::Plan(std::function<void(const std::vector<Undo>&)> persist) : persist_(std::move(persist)) {}

void Plan::done(Undo undo) {
    undos_.push_back(std::move(undo));
    if (persist_)
        persist_(undos_);
}

int Plan::rollback(UndoRunner& runner, const Echo& echo,
                   const std::function<void(const std::string&)>& report) {
    int failures = 0;
    while (!undos_.empty()) {
        Undo u = std::move(undos_.back());
        undos_.pop_back();
        echo(command_of(u));
        if (auto r = runner.run(u); !r) {
            ++failures;
            if (report)
                report(r.error().message);
        }
        if (persist_)
            persist_(undos_);
    }
    return failures;
}

} // namespace wgx::quick
