// Command-line plumbing shared by the hotjit commands: usage, option values, exit statuses.
#ifndef HOTJIT_TOOLS_COMMANDLINE_H
#define HOTJIT_TOOLS_COMMANDLINE_H

#include "llvm/Support/Error.h"

#include <string>

namespace hotjit::tool {

/// Exit statuses: success, a failure while running, a bad command line; `hotjit run` exits with
/// its program's status, or with ExitRunFailure for any failure of its own (as env and timeout
/// do), so that the common 1 and 2 stay the program's.
enum ExitStatus { ExitOk = 0, ExitFailure = 1, ExitUsage = 2, ExitRunFailure = 125 };

/// The text `hotjit --help` prints.
extern const char *const Usage;

/// Prints "hotjit: <Message> (see hotjit --help)" on stderr and exits with
/// \p Status.
[[noreturn]] void usageError(const std::string &Message, int Status = ExitUsage);

/// Prints "hotjit: <Message>" on stderr.
void printError(const std::string &Message);

/// Prints "hotjit: <Prefix><text of E>" on stderr, consuming \p E.
void printError(llvm::Error E, const std::string &Prefix = "");

/// Walks the arguments of one command, from Argv[First]; a bad value exits
/// with \p UsageStatus.
class Arguments {
public:
  Arguments(int Argc, char **Argv, int First, int UsageStatus = ExitUsage)
      : Argc(Argc), Argv(Argv), I(First), UsageStatus(UsageStatus) {}

  bool done() const { return I >= Argc; }
  /// The current argument; advances past it.
  std::string next() { return Argv[I++]; }
  /// The value of option \p Option (the next argument), or a usage error.
  std::string value(const std::string &Option);
  /// The value of \p Option as a number within [Min, Max] (an integer if
  /// \p Integer), or a usage error.
  double number(const std::string &Option, double Min, double Max, bool Integer);

private:
  int Argc;
  char **Argv;
  int I;
  int UsageStatus;
};

/// `hotjit demo`: arguments start at Argv[2].
int demoCommand(int Argc, char **Argv);

/// `hotjit run`: arguments start at Argv[2].
int runCommand(int Argc, char **Argv);

} // namespace hotjit::tool

#endif // HOTJIT_TOOLS_COMMANDLINE_H
