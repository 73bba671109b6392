# Compiles locale/<lang>.po into <build>/locale/<lang>/LC_MESSAGES/spire.mo,
# the layout Boost.Locale's gettext backend reads.
function(spire_compile_translations target)
  find_program(MSGFMT msgfmt REQUIRED)
  file(GLOB po_files CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/locale/*.po)
  set(outputs "")
  foreach(po IN LISTS po_files)
    get_filename_component(lang ${po} NAME_WE)
    set(mo ${CMAKE_BINARY_DIR}/locale/${lang}/LC_MESSAGES/spire.mo)
    add_custom_command(OUTPUT ${mo}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/locale/${lang}/LC_MESSAGES
      COMMAND ${MSGFMT} --check -o ${mo} ${po}
      DEPENDS ${po}
      COMMENT "msgfmt ${lang}.po")
    list(APPEND outputs ${mo})
  endforeach()
  add_custom_target(${target} ALL DEPENDS ${outputs})
endfunction()
