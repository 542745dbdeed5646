# Installs the build in BUILD_DIR into WORK_DIR/prefix, then configures, builds and runs the
# consumer project against it (cmake -P; also given SOURCE_DIR, CXX_COMPILER and GENERATOR).
include("${CMAKE_CURRENT_LIST_DIR}/../PackageSteps.cmake")
hotjit_require_vars(BuildConsumer.cmake BUILD_DIR SOURCE_DIR WORK_DIR CXX_COMPILER GENERATOR)
hotjit_install_tree()
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
