# Installation layout and the Debian package: `make package` (the release preset, then
# `cpack` there). packaging/check-deb.sh installs it on a clean Debian 12 root.
if(TRAINSCOPE_WITH_GUI)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/io.github.trainscope.Trainscope.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/io.github.trainscope.Trainscope.metainfo.xml
          DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/trainscope.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME trainscope)
set(CPACK_PACKAGE_VENDOR "Trainscope developers")
set(CPACK_PACKAGE_CONTACT "Trainscope developers <trainscope@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Native workbench for deep-learning training runs")
# Wrapped by hand: Debian shows the control file's lines as they are (at most 80 columns).
set(CPACK_PACKAGE_DESCRIPTION "\
Trainscope opens TensorBoard logdirs and PyTorch profiler traces, trains
LibTorch models and runs hyperparameter sweeps in background threads, and
shows live where each step's time goes: input against compute, a trace
timeline, memory, operator and kernel statistics, scalar curves and the trial
table. On NVIDIA GPUs it traces kernels with CUPTI, found at run time in the
CUDA toolkit; elsewhere host and operator tracing only.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_STRIP_FILES ON)
# Depends: the libraries the executables link, as dpkg-shlibdeps reads them off the binaries.
# What is loaded without being linked is named here, and check-deb.sh checks that each of them
# is loaded on a clean root:
# - OpenBLAS: LibTorch's BLAS through libblas.so.3, which libtorch's own Depends would satisfy
#   with the reference BLAS, about 12x slower at training;
# - Qt's SVG plugins (the icons) come with libqt6svg6, which the widgets link.
# Recommends: the Fashion-MNIST images the demo and the default job train on.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-openmp | libopenblas0-pthread")
if(TRAINSCOPE_WITH_GUI)
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "dataset-fashion-mnist")
endif()
include(${CMAKE_CURRENT_LIST_DIR}/debiandocs.cmake)
include(CPack)
