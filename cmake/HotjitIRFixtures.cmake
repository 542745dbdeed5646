# hotjit_ir_fixture(<list-var> <source> <output> [flags...]): compiles a C or C++ test fixture
# to LLVM IR with LLVM 22's clang at build time, appending the output path to <list-var>: IR text
# for an <output> ending in .ll, bitcode (as `hotjit run` makes it) for one ending in .bc. The build's
# own flags (sanitizers included) are never applied: JIT code is uninstrumented.
set(HOTJIT_FIXTURE_CLANG "${HOTJIT_LLVM_BINDIR}/clang" CACHE FILEPATH
    "clang that compiles C/C++ test fixtures to IR")
function(hotjit_ir_fixture ListVar Source Output)
  set(Out "${CMAKE_CURRENT_BINARY_DIR}/fixtures/${Output}")
  if(Source MATCHES "\\.(cpp|cc)$")
    set(Lang --driver-mode=g++ -std=c++20 -fexceptions)
  else()
    set(Lang -x c)
  endif()
  if(Output MATCHES "\\.bc$")
    set(Emit -c)
  else()
    set(Emit -S)
  endif()
  add_custom_command(OUTPUT "${Out}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/fixtures"
    COMMAND "${HOTJIT_FIXTURE_CLANG}" ${Lang} ${Emit} -emit-llvm ${ARGN} -o "${Out}" "${Source}"
    DEPENDS "${Source}"
    COMMENT "IR fixture ${Output}"
    VERBATIM)
  set(${ListVar} ${${ListVar}} "${Out}" PARENT_SCOPE)
endfunction()

# hotjit_native_fixture(<list-var> <output> <entry> SOURCES <files...> [FLAGS <flags...>]): links
# C/C++ fixtures natively with the same clang (-O1) and tests/fixtures/linkage/native_main.c, which
# prints what <entry>() returns: the reference result a JIT run of the same files must equal.
function(hotjit_native_fixture ListVar Output Entry)
  cmake_parse_arguments(PARSE_ARGV 3 NF "" "" "SOURCES;FLAGS")
  set(Out "${CMAKE_CURRENT_BINARY_DIR}/fixtures/${Output}")
  set(Inputs)
  foreach(S ${NF_SOURCES})
    if(S MATCHES "\\.cpp$")
      list(APPEND Inputs -x c++ ${S})
    else()
      list(APPEND Inputs -x c ${S})
    endif()
  endforeach()
  set(Main "${CMAKE_CURRENT_SOURCE_DIR}/fixtures/linkage/native_main.c")
  add_custom_command(OUTPUT "${Out}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/fixtures"
    COMMAND "${HOTJIT_FIXTURE_CLANG}" --driver-mode=g++ -O1 ${NF_FLAGS} -DENTRY=${Entry}
            ${Inputs} -x c ${Main} -o "${Out}"
    DEPENDS ${NF_SOURCES} ${Main}
    COMMENT "native fixture ${Output}"
    VERBATIM)
  set(${ListVar} ${${ListVar}} "${Out}" PARENT_SCOPE)
endfunction()
