# Installs hotjit as a CMake package: headers, static libraries, libhotjit.so (the C API), the
# hotjit program, hotjitConfig.cmake (find_package(hotjit) gives hotjit::engine and
# hotjit::shared) and hotjit.pc (`cc main.c $(pkg-config --cflags --libs hotjit)`).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(HOTJIT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/hotjit")

# hotjit::llvm is exported empty (its LLVM paths are the build machine's) and filled in by
# hotjitConfig.cmake from the LLVM that find_dependency(LLVM) finds.
set_target_properties(hotjit_llvm PROPERTIES EXPORT_NAME llvm)
set_target_properties(hotjit_concurrency PROPERTIES EXPORT_NAME concurrency)
set_target_properties(hotjit_engine PROPERTIES EXPORT_NAME engine)
set_target_properties(hotjit_shared PROPERTIES EXPORT_NAME shared)
# The public C++ headers need C++20 (constinit, concepts): a consumer that sets no standard gets it.
target_compile_features(hotjit_concurrency INTERFACE cxx_std_20)
target_compile_features(hotjit_engine INTERFACE cxx_std_20)
install(TARGETS hotjit_llvm hotjit_concurrency hotjit_engine hotjit_shared
  EXPORT hotjitTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}")

# hotjit.pc finds the prefix from its own location, so the tree may be installed anywhere.
set(HOTJIT_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
file(RELATIVE_PATH HOTJIT_PC_PREFIX_FROM_PCDIR "/prefix/${HOTJIT_PKGCONFIGDIR}" "/prefix")
string(REGEX REPLACE "/$" "" HOTJIT_PC_PREFIX_FROM_PCDIR "${HOTJIT_PC_PREFIX_FROM_PCDIR}")
configure_file("${CMAKE_CURRENT_LIST_DIR}/hotjit.pc.in" "${PROJECT_BINARY_DIR}/hotjit.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/hotjit.pc" DESTINATION "${HOTJIT_PKGCONFIGDIR}")
install(DIRECTORY
    "${PROJECT_SOURCE_DIR}/concurrency/include/"
    "${PROJECT_SOURCE_DIR}/engine/include/"
    "${PROJECT_SOURCE_DIR}/bindings/c/include/"
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
