# Included after HiGHS's project() calls (CMAKE_PROJECT_INCLUDE, set by highs-hipo.cmake):
# copies the system's static OpenBLAS into HiGHS's install `lib`, where highs-sys's build script
# points the Rust linker (it asks for `static=openblas`).
if(PROJECT_NAME STREQUAL "CMAKE_TRY_COMPILE")
  return() # CMake's compiler checks: nothing to install
endif()
if(NOT ATOMPLAN_OPENBLAS_STATIC)
  file(GLOB ATOMPLAN_OPENBLAS_DIRS /usr/lib/*/openblas-pthread /usr/lib/*/openblas-openmp
       /usr/lib/*/openblas-serial)
  find_library(ATOMPLAN_OPENBLAS_STATIC
    NAMES libopenblas.a
    PATHS $ENV{ATOMPLAN_OPENBLAS_LIB_DIR}
          /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-pthread
          /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp
          /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-serial
          ${ATOMPLAN_OPENBLAS_DIRS}
          /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}
          /usr/lib64 /usr/lib /usr/local/lib
    NO_DEFAULT_PATH)
  if(NOT ATOMPLAN_OPENBLAS_STATIC)
    message(FATAL_ERROR "atomplan: no libopenblas.a found; install the system OpenBLAS "
      "(Debian/Ubuntu: apt-get install libopenblas-dev; `cargo xtask setup` does it) "
      "or set ATOMPLAN_OPENBLAS_LIB_DIR")
  endif()
endif()
# The install rule is declared on every configure, not only on the first: a re-run of the build
# script reconfigures with ATOMPLAN_OPENBLAS_STATIC already cached, and without the rule the
# library would be missing from `lib` and the Rust link would fail.
# Debian's libopenblas.a is a symlink; install the file it points to.
get_filename_component(ATOMPLAN_OPENBLAS_FILE "${ATOMPLAN_OPENBLAS_STATIC}" REALPATH)
message(STATUS "atomplan: static OpenBLAS ${ATOMPLAN_OPENBLAS_FILE}")
install(FILES "${ATOMPLAN_OPENBLAS_FILE}" DESTINATION lib RENAME libopenblas.a)
