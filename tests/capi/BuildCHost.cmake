# Installs the build in BUILD_DIR into WORK_DIR/prefix, then compiles the C API test programs the
# way a C user would, `cc main.c $(pkg-config --cflags --libs hotjit)` against that tree, and runs
# them: the linked host (every call, every error kind, a swap under calling threads, exceptions)
# and the dlopen host. cmake -P; also given SOURCE_DIR, C_COMPILER and FIXTURES_DIR, BITCODE.
include("${CMAKE_CURRENT_LIST_DIR}/../PackageSteps.cmake")
hotjit_require_vars(BuildCHost.cmake BUILD_DIR SOURCE_DIR WORK_DIR C_COMPILER FIXTURES_DIR BITCODE)
hotjit_install_tree()
file(GLOB PcFiles "${Prefix}/lib*/pkgconfig/hotjit.pc" "${Prefix}/lib/*/pkgconfig/hotjit.pc")
list(LENGTH PcFiles Found)
if(NOT Found EQUAL 1)
  message(FATAL_ERROR "the installed tree has no single hotjit.pc: '${PcFiles}'")
endif()
get_filename_component(PcDir "${PcFiles}" DIRECTORY)
get_filename_component(LibDir "${PcDir}" DIRECTORY)
foreach(File include/hotjit/hotjit.h)
  if(NOT EXISTS "${Prefix}/${File}")
    message(FATAL_ERROR "the installed tree lacks ${File}")
  endif()
endforeach()
# The soname names major.minor (0.x releases may break the ABI between minors).
file(GLOB Sonames "${LibDir}/libhotjit.so.*.*")
if(NOT EXISTS "${LibDir}/libhotjit.so" OR NOT Sonames)
  message(FATAL_ERROR "the installed tree lacks libhotjit.so and its versioned names")
endif()

set(ENV{PKG_CONFIG_PATH} "${PcDir}")
step(pkg-config pkg-config --cflags --libs hotjit)
string(STRIP "${StepOutput}" Flags)
separate_arguments(Flags UNIX_COMMAND "${Flags}")
step(modversion pkg-config --modversion hotjit)
if(NOT StepOutput MATCHES "^0\\.1\\.0")
  message(FATAL_ERROR "pkg-config --modversion hotjit: ${StepOutput}")
endif()
step(compile "${C_COMPILER}" -std=c11 -Wall -Werror -o "${WORK_DIR}/capi_test"
     "${SOURCE_DIR}/capi_test.c" ${Flags} -lpthread)
step(compile-dlopen "${C_COMPILER}" -std=c11 -Wall -Werror -o "${WORK_DIR}/capi_dlopen"
     "${SOURCE_DIR}/capi_dlopen.c" ${Flags} -ldl)

set(ENV{LD_LIBRARY_PATH} "${LibDir}")
step(run "${WORK_DIR}/capi_test" "${FIXTURES_DIR}" "${BITCODE}")
message(STATUS "${StepOutput}")
step(run-dlopen "${WORK_DIR}/capi_dlopen" "${LibDir}/libhotjit.so" "${FIXTURES_DIR}" 1)
message(STATUS "${StepOutput}")
