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
# Twice: as a default project (no CMAKE_CXX_STANDARD: the package asks for C++20) and with
# CMAKE_CXX_STANDARD 20 set by the project.
foreach(Standard default 20)
  set(Build "${WORK_DIR}/build-${Standard}")
  set(StandardArg)
  if(NOT Standard STREQUAL "default")
    set(StandardArg "-DCONSUMER_CXX_STANDARD=${Standard}")
  endif()
  step(configure-${Standard} "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${Build}" -G "${GENERATOR}"
       -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
       "-DCMAKE_PREFIX_PATH=${Prefix}" ${StandardArg})
  step(build-${Standard} "${CMAKE_COMMAND}" --build "${Build}")
  step(run-${Standard} "${Build}/consumer")
  message(STATUS "${StepOutput}")
  if(NOT StepOutput MATCHES "price\\(8.0\\) = 10, then 12")
    message(FATAL_ERROR "unexpected output of the consumer (${Standard}): ${StepOutput}")
  endif()
endforeach()
step(tool "${Prefix}/bin/hotjit" --help)
