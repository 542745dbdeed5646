// ProgramExit: an on_exit() handler that flushes the program's output and ends the process.
#include "ProgramExit.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

namespace hotjit::tool {

namespace {

std::function<void()> &beforeExit() {
  // Constructed before endProcess is registered, so destroyed after it would run.
  static std::function<void()> BeforeExit;
  return BeforeExit;
}

std::function<void()> &atExitStart() {
  static std::function<void()> AtExitStart;
  return AtExitStart;
}

extern "C" void startExit(int, void *) {
  if (atExitStart())
    atExitStart()();
}

extern "C" void endProcess(int Status, void *) {
  if (beforeExit())
    beforeExit()();
  std::cout.flush(); // Buffered apart from stdio after std::ios::sync_with_stdio(false).
  std::cerr.flush();
  std::clog.flush();
  std::fflush(nullptr);
  ::_exit(Status);
}

} // namespace

void installProgramExit() {
  // Registered after every static object of the process was constructed, so it runs before
  // any of their destructors, and ends the process before them.
  beforeExit();
  ::on_exit(endProcess, nullptr);
}

void setBeforeExit(std::function<void()> BeforeExit) { beforeExit() = std::move(BeforeExit); }

void setAtExitStart(std::function<void()> AtExitStart) {
  atExitStart() = std::move(AtExitStart);
  ::on_exit(startExit, nullptr);
}

void exitProgram(int Status) { std::exit(Status); }

} // namespace hotjit::tool
