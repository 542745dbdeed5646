# Installs the build in BUILD_DIR into WORK_DIR/prefix, then configures, builds and runs the
# consumer project against it (cmake -P; also given SOURCE_DIR, CXX_COMPILER and GENERATOR).
foreach(Var BUILD_DIR SOURCE_DIR WORK_DIR CXX_COMPILER GENERATOR)
  if(NOT DEFINED ${Var})
    message(FATAL_ERROR "BuildConsumer.cmake needs -D${Var}=...")
  endif()
endforeach()
set(Prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")

function(step Name)
  message(STATUS "${Name}: ${ARGN}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE Result OUTPUT_VARIABLE Out ERROR_VARIABLE Out)
  if(NOT Result EQUAL 0)
    message(FATAL_ERROR "${Name} failed (${Result}):\n${Out}")
  endif()
  set(StepOutput "${Out}" PARENT_SCOPE)
endfunction()

step(install "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${Prefix}")
foreach(File include/hotjit/engine/Engine.h include/hotjit/concurrency/EpochGuard.h
             lib/cmake/hotjit/hotjitConfig.cmake bin/hotjit)
  if(NOT EXISTS "${Prefix}/${File}")
    message(FATAL_ERROR "the installed tree lacks ${File}")
  endif()
endforeach()
step(configure "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
     -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
     "-DCMAKE_PREFIX_PATH=${Prefix}")
step(build "${CMAKE_COMMAND}" --build "${WORK_DIR}/build")
step(run "${WORK_DIR}/build/consumer")
message(STATUS "${StepOutput}")
if(NOT StepOutput MATCHES "price\\(8.0\\) = 10, then 12")
  message(FATAL_ERROR "unexpected output of the consumer: ${StepOutput}")
endif()
step(tool "${Prefix}/bin/hotjit" --help)
