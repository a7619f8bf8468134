# Every third-party dependency comes from a Debian 12 package (deploy/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(CLI11 2 REQUIRED)
find_package(SDL2 REQUIRED CONFIG)
set(OpenGL_GL_PREFERENCE GLVND)
find_package(OpenGL REQUIRED)
find_package(Freetype REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS locale)
# The centre's HTTP layer: Boost.Beast + Asio (header-only, in libboost-dev), TLS through OpenSSL, gzip bodies.
find_package(OpenSSL 3 REQUIRED)
find_package(ZLIB REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(FONTCONFIG REQUIRED IMPORTED_TARGET fontconfig)
pkg_check_modules(FRIBIDI REQUIRED IMPORTED_TARGET fribidi)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)  # the kiosk's sd_notify: readiness and watchdog
# kainjow::mustache renders the dashboard's templates; header-only, with no CMake or pkg-config file.
find_path(KAINJOW_MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED)

# Debian's libimgui.a carries the core, imgui_stdlib, imgui_freetype and the SDL2/OpenGL3 backends.
# gcc links with --as-needed, so everything libimgui.a needs must come after it: one imported target
# whose interface libraries follow it on every link line.
find_library(IMGUI_LIBRARY NAMES libimgui.a imgui REQUIRED)
find_library(STB_LIBRARY NAMES stb REQUIRED)
add_library(imgui::imgui STATIC IMPORTED)
set_target_properties(imgui::imgui PROPERTIES
  IMPORTED_LOCATION "${IMGUI_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "/usr/include/imgui;/usr/include/imgui/backends"
  INTERFACE_LINK_LIBRARIES "${STB_LIBRARY};Freetype::Freetype;SDL2::SDL2;OpenGL::GL;${CMAKE_DL_LIBS}")
