# hotjit_ir_fixture(<list-var> <source> <output.ll> [flags...]): compiles a C or C++ test fixture
# to LLVM IR with LLVM 22's clang at build time, appending the .ll path to <list-var>. The build's
# own flags (sanitizers included) are never applied: JIT code is uninstrumented.
set(HOTJIT_FIXTURE_CLANG "${HOTJIT_LLVM_BINDIR}/clang" CACHE FILEPATH
    "clang that compiles C/C++ test fixtures to IR")
function(hotjit_ir_fixture ListVar Source Output)
  set(Out "${CMAKE_CURRENT_BINARY_DIR}/fixtures/${Output}")
  if(Source MATCHES "\\.cpp$")
    set(Lang --driver-mode=g++ -std=c++20 -fexceptions)
  else()
    set(Lang -x c)
  endif()
  add_custom_command(OUTPUT "${Out}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/fixtures"
    COMMAND "${HOTJIT_FIXTURE_CLANG}" ${Lang} -S -emit-llvm ${ARGN} -o "${Out}" "${Source}"
    DEPENDS "${Source}"
    COMMENT "IR fixture ${Output}"
    VERBATIM)
  set(${ListVar} ${${ListVar}} "${Out}" PARENT_SCOPE)
endfunction()
