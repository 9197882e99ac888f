#pragma once
// `up` as a plan: every change that succeeded leaves its Undo here (and in the record), and a
// failure or a signal undoes them all in reverse order.
#include <functional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "quick/undo.hpp"

namespace wgx::quick {

/// Prints one action as wg-quick does: "[#] COMMAND" on stderr.
using Echo = std::function<void(const std::string& command)>;
/// The real one.
void echo_to_stderr(const std::string& command);

/// Carries out an Undo on the system (a fake records them in tests).
class UndoRunner {
  public:
    virtual ~UndoRunner() = default;
    virtual Result<void> run(const Undo& undo) = 0;
};

class Plan {
  public:
    /// `persist` sees the whole list after every change (it writes the record).
    explicit Plan(std::function<void(const std::vector<Undo>&)> persist = {});

    /// A change was made; `undo` reverts it.
    void done(Undo undo);
    const std::vector<Undo>& undos() const { return undos_; }

    /// Reverts every change, last first, echoing each command; an undo that fails is reported
    /// and the others still run. Returns how many failed. The plan is empty afterwards.
    int rollback(UndoRunner& runner, const Echo& echo,
                 const std::function<void(const std::string&)>& report);

  private:
    std::function<void(const std::vector<Undo>&)> persist_;
    std::vector<Undo> undos_;
};

} // namespace wgx::quick
