# Installation layout and the Debian package (cpack -G DEB in a build folder).
if(TRAINSCOPE_WITH_GUI)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/trainscope.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/io.github.trainscope.Trainscope.metainfo.xml
          DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/trainscope.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME trainscope)
set(CPACK_PACKAGE_CONTACT "Trainscope developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Native workbench for deep-learning training runs")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)
