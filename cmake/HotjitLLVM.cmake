# Wraps LLVM 22 once, as the INTERFACE target hotjit_llvm: SYSTEM includes, the shared libLLVM,
# and exceptions kept on (llvm-config adds -fno-exceptions; hotjit is exception-neutral).
# LLVM's version file accepts only its exact major.minor, so check the major version ourselves.
find_package(LLVM REQUIRED CONFIG HINTS /usr/lib/llvm-22/lib/cmake/llvm NO_DEFAULT_PATH)
if(NOT LLVM_VERSION_MAJOR EQUAL 22)
  message(FATAL_ERROR "hotjit needs LLVM 22, found ${LLVM_PACKAGE_VERSION} in ${LLVM_DIR}")
endif()
message(STATUS "hotjit: LLVM ${LLVM_PACKAGE_VERSION} from ${LLVM_DIR}")
if(NOT LLVM_LINK_LLVM_DYLIB AND NOT TARGET LLVM)
  message(FATAL_ERROR "hotjit links the shared libLLVM; this LLVM has none")
endif()
# Its properties hold for this build only: the installed package rebuilds them from the LLVM found
# where it is used (cmake/hotjitConfig.cmake.in).
add_library(hotjit_llvm INTERFACE)
target_include_directories(hotjit_llvm SYSTEM INTERFACE "$<BUILD_INTERFACE:${LLVM_INCLUDE_DIRS}>")
separate_arguments(_hotjit_llvm_defs NATIVE_COMMAND "${LLVM_DEFINITIONS}")
list(TRANSFORM _hotjit_llvm_defs REPLACE "^-D" "") # Not stripped inside a generator expression.
target_compile_definitions(hotjit_llvm INTERFACE "$<BUILD_INTERFACE:${_hotjit_llvm_defs}>")
target_link_libraries(hotjit_llvm INTERFACE $<BUILD_INTERFACE:LLVM>)
set(HOTJIT_LLVM_BINDIR "${LLVM_TOOLS_BINARY_DIR}")
