// What the tests that run gdb and perf need to know of the host: whether a tool scripts/setup
// installs is missing, and whether the kernel lets this process sample itself.
#ifndef HOTJIT_TESTS_COMMON_TOOLPROBES_H
#define HOTJIT_TESTS_COMMON_TOOLPROBES_H

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

/// A tool that scripts/setup installs (gdb, perf) is missing: a failure where
/// HOTJIT_REQUIRE_TOOLS is set (scripts/test sets it), a skip elsewhere.
#define HOTJIT_REQUIRE_TOOL(Present, Why)                                                          \
  if (!(Present)) {                                                                                \
    if (std::getenv("HOTJIT_REQUIRE_TOOLS"))                                                       \
      FAIL() << Why << " (HOTJIT_REQUIRE_TOOLS is set)";                                           \
    GTEST_SKIP() << Why;                                                                           \
  }

/// Why this kernel refuses user-space perf sampling of this process (a
/// perf_event_open of a cpu-clock event, as `perf record -e cpu-clock:u`
/// does), or "" when it allows it. Probed directly, not guessed from a tool's
/// output, so that any other failure of the tool fails the test.
inline std::string perfEventsRefused() {
  perf_event_attr Attr{};
  Attr.size = sizeof(Attr);
  Attr.type = PERF_TYPE_SOFTWARE;
  Attr.config = PERF_COUNT_SW_CPU_CLOCK;
  Attr.disabled = 1;
  Attr.exclude_kernel = 1;
  Attr.exclude_hv = 1;
  long FD = ::syscall(SYS_perf_event_open, &Attr, 0, -1, -1, 0);
  if (FD < 0)
    return std::string("perf_event_open: ") + std::strerror(errno);
  ::close(static_cast<int>(FD));
  return "";
}

#endif // HOTJIT_TESTS_COMMON_TOOLPROBES_H
