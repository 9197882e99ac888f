# Included by the root CMakeLists after the install rules: `cpack -G DEB` in the build tree (or
# tools/package) turns what `cmake --install` puts into the prefix into wgx_VERSION_ARCH.deb.
set(WGX_PACKAGE_MAINTAINER "wgx developers <wgx@invalid>" CACHE STRING
    "The Maintainer field of the .deb and its changelog")

# Debian wants the changelog compressed and the copyright file under /usr/share/doc/PACKAGE;
# CPack makes neither, so they are installed like any other file.
configure_file(${CMAKE_CURRENT_LIST_DIR}/changelog.in ${PROJECT_BINARY_DIR}/packaging/changelog.Debian
               @ONLY)
execute_process(COMMAND gzip -9nc ${PROJECT_BINARY_DIR}/packaging/changelog.Debian
                OUTPUT_FILE ${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz)
install(FILES ${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz
              ${CMAKE_CURRENT_LIST_DIR}/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wgx)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${WGX_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "WireGuard toolkit: drop-ins for wg, wg-quick and wireguard-go")
set(CPACK_PACKAGE_DESCRIPTION
    "One binary under three names: wgx configures and shows WireGuard interfaces with wg's
command line and output; wgx-quick brings interfaces up and down from wg-quick's configuration
files through netlink, undoing everything when a step fails; wgx-engine is a userspace
WireGuard engine with wireguard-go's command line and configuration socket.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # wgx_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # Depends from dpkg-shlibdeps
# wgx-quick opens libnftables (an nft step), libqrencode (--qr) and libsystemd (the resolved DNS
# backend), and wgx opens libcrypto (libssl3: the engine's cipher and DRBG), with
# dlopen only when it needs them, so dpkg-shlibdeps does not see them: named by hand. libsystemd0
# and libssl3 are on nearly every Debian system; they stay dependencies for what they are used for.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libnftables1, libqrencode4, libssl3, libsystemd0")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "openresolv | resolvconf")
include(CPack)
