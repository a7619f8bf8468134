# Install rules and the two Debian packages (CPack DEB, one package per component):
#   feedback-kiosk   the kiosk, its unit (cage on tty1), system user, data directory, /etc/feedback-kiosk
#   feedback-central the centre, its hardened unit, system user, data directory, /etc/feedback-central
# Everything goes under the prefix (/usr in the packages: CPACK_PACKAGING_INSTALL_PREFIX) except the
# configuration, which is always /etc/feedback-*: the units read it there. Fonts come from Debian packages (fontconfig finds them); the translation
# catalogs, the lobby survey and the dashboard's templates are compiled into the binaries, so nothing else is
# read from /usr/share at run time.
include(GNUInstallDirs)

set(FK_PACKAGING_DIR "${PROJECT_SOURCE_DIR}/deploy/packaging")
set(FK_SYSTEMD_UNIT_DIR lib/systemd/system)
set(FK_SYSUSERS_DIR lib/sysusers.d)
set(FK_TMPFILES_DIR lib/tmpfiles.d)
set(FK_CONFIG_DIR /etc)
# CPack installs into its staging area before packing; without this, that step would build `all` (every test
# and benchmark). deploy/build-packages.sh builds the two programs the packages hold first instead.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

foreach(component kiosk central)
  set(pkg "feedback-${component}")
  install(TARGETS ${pkg} RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT ${component})
  install(FILES "${PROJECT_SOURCE_DIR}/deploy/systemd/${pkg}.service" DESTINATION "${FK_SYSTEMD_UNIT_DIR}"
          COMPONENT ${component})
  install(FILES "${FK_PACKAGING_DIR}/${component}/sysusers.conf" DESTINATION "${FK_SYSUSERS_DIR}"
          RENAME "${pkg}.conf" COMPONENT ${component})
  install(FILES "${FK_PACKAGING_DIR}/${component}/tmpfiles.conf" DESTINATION "${FK_TMPFILES_DIR}"
          RENAME "${pkg}.conf" COMPONENT ${component})
  install(FILES "${FK_PACKAGING_DIR}/${component}/${component}.toml"
          DESTINATION "${FK_CONFIG_DIR}/${pkg}" COMPONENT ${component})
  install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/${pkg}"
          COMPONENT ${component})

  # The maintainer scripts and the conffiles list, per package.
  set(control_dir "${PROJECT_BINARY_DIR}/debian/${component}")
  set(PKG ${pkg})
  foreach(script postinst prerm postrm)
    configure_file("${FK_PACKAGING_DIR}/${script}.in" "${control_dir}/${script}" @ONLY
                   FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                    WORLD_READ WORLD_EXECUTE)
  endforeach()
  file(WRITE "${control_dir}/conffiles" "${FK_CONFIG_DIR}/${pkg}/${component}.toml\n")
endforeach()
# cage exits 0 whatever the kiosk did: the unit runs the kiosk through this, which keeps the kiosk's status.
install(PROGRAMS "${PROJECT_SOURCE_DIR}/deploy/systemd/kiosk-session"
        DESTINATION "${CMAKE_INSTALL_LIBEXECDIR}/feedback-kiosk" COMPONENT kiosk)
install(FILES "${PROJECT_SOURCE_DIR}/deploy/kiosk.example.toml" DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/feedback-kiosk"
        COMPONENT kiosk)
install(FILES "${PROJECT_SOURCE_DIR}/deploy/nginx/feedback-central.conf"
        DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/feedback-central/examples" COMPONENT central)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_NAME feedback)
set(CPACK_PACKAGE_VENDOR "Community feedback project")
set(CPACK_PACKAGE_CONTACT "Community feedback project <feedback@example.org>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_COMPONENTS_ALL kiosk central)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# dpkg-shlibdeps computes the shared libraries' packages; Depends below lists only what is not a library.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME feedback-kiosk)
set(CPACK_COMPONENT_KIOSK_DESCRIPTION
    "Community feedback kiosk\nA touchscreen survey appliance: boots into the survey full screen under cage, keeps\nevery answer in SQLite on its own disk and sends it to the centre exactly once.")
# cage and xwayland: the compositor the unit runs it under; Mesa's drivers are loaded by libGL/libEGL at run
# time; Noto fonts through fontconfig; tzdata for opening hours; CA certificates for HTTPS to the centre;
# systemd for sysusers, tmpfiles and the unit.
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "cage, xwayland, fonts-noto-core, fonts-noto-cjk, libgl1-mesa-dri, libegl-mesa0, tzdata, ca-certificates, systemd")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    "${PROJECT_BINARY_DIR}/debian/kiosk/conffiles;${PROJECT_BINARY_DIR}/debian/kiosk/postinst;${PROJECT_BINARY_DIR}/debian/kiosk/prerm;${PROJECT_BINARY_DIR}/debian/kiosk/postrm")

set(CPACK_DEBIAN_CENTRAL_PACKAGE_NAME feedback-central)
set(CPACK_COMPONENT_CENTRAL_DESCRIPTION
    "Community feedback centre\nReceives every kiosk's answers over HTTPS, serves k-anonymous aggregates, thank-you\nnotes and a dashboard; SQLite or PostgreSQL. Runs as a sandboxed systemd service.")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_CONTROL_EXTRA
    "${PROJECT_BINARY_DIR}/debian/central/conffiles;${PROJECT_BINARY_DIR}/debian/central/postinst;${PROJECT_BINARY_DIR}/debian/central/prerm;${PROJECT_BINARY_DIR}/debian/central/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
