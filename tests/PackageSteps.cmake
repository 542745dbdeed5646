# Shared by the cmake -P scripts of the package tests (tests/consumer/BuildConsumer.cmake,
# tests/capi/BuildCHost.cmake): argument checks, logged steps, and installing a build tree.

# Fails unless every variable named after the script's name is defined (-DVAR=...).
function(hotjit_require_vars Script)
  foreach(Var ${ARGN})
    if(NOT DEFINED ${Var})
      message(FATAL_ERROR "${Script} needs -D${Var}=...")
    endif()
  endforeach()
endfunction()

# Runs a command, failing with its output if it fails; leaves the output in StepOutput.
function(step Name)
  message(STATUS "${Name}: ${ARGN}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE Result OUTPUT_VARIABLE Out ERROR_VARIABLE Out)
  if(NOT Result EQUAL 0)
    message(FATAL_ERROR "${Name} failed (${Result}):\n${Out}")
  endif()
  set(StepOutput "${Out}" PARENT_SCOPE)
endfunction()

# Empties WORK_DIR and installs the build in BUILD_DIR into WORK_DIR/prefix (sets Prefix).
macro(hotjit_install_tree)
  set(Prefix "${WORK_DIR}/prefix")
  file(REMOVE_RECURSE "${WORK_DIR}")
  file(MAKE_DIRECTORY "${WORK_DIR}")
  step(install "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${Prefix}")
endmacro()
