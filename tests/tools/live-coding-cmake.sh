# README.md's "Live coding a CMake project", run as written by ctest LiveCoding.CMakeProject in an
# empty directory with hotjit on PATH (bash -e).
mkdir -p demo/src demo/include && cd demo
cat > CMakeLists.txt <<'EOF'
cmake_minimum_required(VERSION 3.20)
project(demo C CXX)
add_executable(demo src/main.c src/greeting.cpp)
target_include_directories(demo PRIVATE include)
target_compile_features(demo PRIVATE cxx_std_20)
EOF
cat > include/greeting.h <<'EOF'
#define GREETING "hello"
EOF
cat > src/main.c <<'EOF'
#include <stdio.h>
#include <unistd.h>
const char *greeting(int round);
int main(void) {
  for (int round = 1; access("stop", F_OK) != 0; ++round) {
    printf("%s\n", greeting(round));
    fflush(stdout);
    usleep(100 * 1000);
  }
  return 0;
}
EOF
cat > src/greeting.cpp <<'EOF'
#include <string>
#include "greeting.h"
extern "C" const char *greeting(int round) {
  static std::string text;
  text = GREETING " #" + std::to_string(round);
  return text.c_str();
}
EOF

# Configure once: CMake writes build/compile_commands.json, the flags of every file.
cmake -S . -B build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 > /dev/null

# Run the project's files through hotjit with those flags, and edit while it runs.
hotjit run --watch --compile-commands build > out.txt 2> log.txt &
until grep -q "hello #" out.txt; do sleep 0.1; done
sed -i 's/"hello"/"bonjour"/' include/greeting.h   # greeting.cpp includes it: recompiled
until grep -q "bonjour #" out.txt; do sleep 0.1; done
touch stop && wait $!                               # main returns 0, and so does hotjit
grep "hotjit: greeting.cpp: swapped in" log.txt
