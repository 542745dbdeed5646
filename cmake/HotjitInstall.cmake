# Installs hotjit as a CMake package: headers, static libraries, the hotjit program, and
# hotjitConfig.cmake, so that a project's find_package(hotjit) gives hotjit::engine.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(HOTJIT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/hotjit")

# hotjit::llvm is exported empty (its LLVM paths are the build machine's) and filled in by
# hotjitConfig.cmake from the LLVM that find_dependency(LLVM) finds.
set_target_properties(hotjit_llvm PROPERTIES EXPORT_NAME llvm)
set_target_properties(hotjit_concurrency PROPERTIES EXPORT_NAME concurrency)
set_target_properties(hotjit_engine PROPERTIES EXPORT_NAME engine)
install(TARGETS hotjit_llvm hotjit_concurrency hotjit_engine
  EXPORT hotjitTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(DIRECTORY
    "${PROJECT_SOURCE_DIR}/concurrency/include/"
    "${PROJECT_SOURCE_DIR}/engine/include/"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
if(TARGET hotjit)
  install(TARGETS hotjit RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
endif()

install(EXPORT hotjitTargets NAMESPACE hotjit:: DESTINATION "${HOTJIT_INSTALL_CMAKEDIR}")
configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/hotjitConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/hotjitConfig.cmake"
  INSTALL_DESTINATION "${HOTJIT_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/hotjitConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
    "${PROJECT_BINARY_DIR}/hotjitConfig.cmake"
    "${PROJECT_BINARY_DIR}/hotjitConfigVersion.cmake"
  DESTINATION "${HOTJIT_INSTALL_CMAKEDIR}")
