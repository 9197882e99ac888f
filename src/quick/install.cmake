# Included by the root CMakeLists after GNUInstallDirs: the systemd units of wgx-quick,
# equivalent to wireguard-tools' wg-quick@.service and wg-quick.target.
set(WGX_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING
    "Where systemd units are installed (relative to the prefix unless absolute)")
# The unit names the installed binaries, so it is written at install time, when the prefix
# (`cmake --install --prefix`) is known.
install(CODE "
  set(WGX_BINDIR \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
  configure_file(\"${CMAKE_CURRENT_LIST_DIR}/systemd/wgx-quick@.service.in\"
                 \"${PROJECT_BINARY_DIR}/systemd/wgx-quick@.service\" @ONLY)
  configure_file(\"${CMAKE_CURRENT_LIST_DIR}/systemd/wgx-reresolve@.service.in\"
                 \"${PROJECT_BINARY_DIR}/systemd/wgx-reresolve@.service\" @ONLY)
")
install(FILES ${PROJECT_BINARY_DIR}/systemd/wgx-quick@.service
              ${PROJECT_BINARY_DIR}/systemd/wgx-reresolve@.service
              ${CMAKE_CURRENT_LIST_DIR}/systemd/wgx-reresolve@.timer
              ${CMAKE_CURRENT_LIST_DIR}/systemd/wgx-quick.target
        DESTINATION ${WGX_SYSTEMD_UNIT_DIR})
