# What Debian asks of every package beside its programs, each made from the one place its facts
# live: /usr/share/doc/trainscope/copyright from LICENSE, changelog.gz from the metainfo's
# releases, and trainscope(1) from the program's own help (manpage.sh). Included by cpack.cmake.
set(TRAINSCOPE_DOCDIR ${CMAKE_INSTALL_DATADIR}/doc/${CPACK_PACKAGE_NAME})
set(debian_docs ${CMAKE_BINARY_DIR}/debian-docs)
file(MAKE_DIRECTORY ${debian_docs})

# copyright, in Debian's machine-readable form: LICENSE's holder and its text, indented.
file(READ ${CMAKE_SOURCE_DIR}/LICENSE license)
if(NOT license MATCHES "Copyright \\(c\\) ([^\n]+)\n\n(.*[^\n])\n*$")
  message(FATAL_ERROR "LICENSE: no 'Copyright (c) YEAR HOLDER' line followed by the license text")
endif()
set(copyright_holder ${CMAKE_MATCH_1})
string(REPLACE "\n\n" "\n.\n" license_text "${CMAKE_MATCH_2}")
string(REPLACE "\n" "\n " license_text "${license_text}")
file(WRITE ${debian_docs}/copyright
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Trainscope

Files: *
Copyright: ${copyright_holder}
License: Expat
 ${license_text}
")
install(FILES ${debian_docs}/copyright DESTINATION ${TRAINSCOPE_DOCDIR})

# changelog.gz: one entry per <release> of the metainfo, newest first as there; the newest must
# be this version, so a release is written down once.
file(READ ${CMAKE_CURRENT_LIST_DIR}/io.github.trainscope.Trainscope.metainfo.xml metainfo)
string(REGEX MATCHALL "<release version=\"[^\"]+\" date=\"[^\"]+\">[ \n]*<description>[ \n]*<p>[^<]+</p>"
       releases "${metainfo}")
set(changelog "")
foreach(release IN LISTS releases)
  string(REGEX MATCH "version=\"([^\"]+)\" date=\"([^\"]+)\".*<p>([^<]+)</p>" _ "${release}")
  set(version ${CMAKE_MATCH_1})
  set(date ${CMAKE_MATCH_2})
  string(REGEX REPLACE "[ \n]+" " " notes "${CMAKE_MATCH_3}")
  if(NOT changelog AND NOT version STREQUAL PROJECT_VERSION)
    message(FATAL_ERROR "metainfo: the newest <release> is ${version}, the project is ${PROJECT_VERSION}")
  endif()
  execute_process(COMMAND date -u -R -d ${date} OUTPUT_VARIABLE rfc2822 OUTPUT_STRIP_TRAILING_WHITESPACE
                  COMMAND_ERROR_IS_FATAL ANY)
  string(APPEND changelog "${CPACK_PACKAGE_NAME} (${version}) unstable; urgency=medium\n\n"
         "  * ${notes}\n\n -- ${CPACK_PACKAGE_CONTACT}  ${rfc2822}\n\n")
endforeach()
if(NOT changelog)
  message(FATAL_ERROR "metainfo: no <release> with a <description> paragraph")
endif()
file(WRITE ${debian_docs}/changelog "${changelog}")
execute_process(COMMAND gzip -9nc INPUT_FILE ${debian_docs}/changelog OUTPUT_FILE ${debian_docs}/changelog.gz
                COMMAND_ERROR_IS_FATAL ANY)
install(FILES ${debian_docs}/changelog.gz DESTINATION ${TRAINSCOPE_DOCDIR})

# trainscope(1), remade whenever the program is.
find_program(HELP2MAN help2man)
add_feature_info(ManualPage HELP2MAN "trainscope(1), from the program's help (help2man)")
if(HELP2MAN)
  set(manpage ${debian_docs}/trainscope.1.gz)
  file(CONFIGURE OUTPUT ${debian_docs}/description CONTENT "${CPACK_PACKAGE_DESCRIPTION}\n") # kept if unchanged
  add_custom_command(OUTPUT ${manpage}
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/manpage.sh $<TARGET_FILE:trainscope> ${PROJECT_VERSION}
            ${debian_docs}/description ${manpage}
    DEPENDS trainscope trainscope-full ${CMAKE_CURRENT_LIST_DIR}/manpage.sh ${debian_docs}/description
    COMMENT "trainscope(1)" VERBATIM)
  add_custom_target(manpage ALL DEPENDS ${manpage})
  install(FILES ${manpage} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
