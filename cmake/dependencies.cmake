# Every third-party library Spire links, gathered in one interface target.
# Chosen in DESIGN.md §3; all come from Debian packages.
find_package(Boost 1.81 EXACT REQUIRED COMPONENTS url json locale system)
find_package(date REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
pkg_check_modules(MD4C_HTML REQUIRED IMPORTED_TARGET md4c-html)
pkg_check_modules(MAGIC REQUIRED IMPORTED_TARGET libmagic)
# libcurl (libcurl4-openssl-dev): SMTP for e-mail notifications (mail/sender.cpp).
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
# COIN-OR CBC (coinor-libcbc-dev), the MIP solver of allocation/optimiser.cpp.
# Only its libraries are linked: the code includes <coin/Cbc_C_Interface.h>,
# which finds its sibling headers by itself, so /usr/include/coin need not be
# on every file's include path.
pkg_check_modules(CBC REQUIRED cbc)
# libstemmer-dev (Snowball) ships no pkg-config file.
find_library(STEMMER stemmer REQUIRED)

# SOCI ships neither a CMake config nor a pkg-config file on Debian 12.
find_library(SOCI_CORE soci_core REQUIRED)
find_library(SOCI_SQLITE3 soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL soci_postgresql REQUIRED)

add_library(spire_deps INTERFACE)
target_include_directories(spire_deps SYSTEM INTERFACE /usr/include/postgresql)
target_compile_definitions(spire_deps INTERFACE
  BOOST_ASIO_NO_DEPRECATED
  BOOST_BEAST_USE_STD_STRING_VIEW
  BOOST_URL_NO_SOURCE_LOCATION)
target_link_libraries(spire_deps INTERFACE
  Boost::url Boost::json Boost::locale Boost::system
  date::date-tz
  ${SOCI_POSTGRESQL} ${SOCI_SQLITE3} ${SOCI_CORE}
  PkgConfig::SODIUM PkgConfig::SQLITE3 PkgConfig::LIBPQ PkgConfig::XLSXWRITER
  PkgConfig::MD4C_HTML
  PkgConfig::MAGIC PkgConfig::CURL ${STEMMER}
  ${CBC_LINK_LIBRARIES}
  Threads::Threads ${CMAKE_DL_LIBS})
