# Applies HOTJIT_SANITIZE to every target of the build (never on by default).
if(HOTJIT_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=thread)
  add_compile_definitions(HOTJIT_TSAN=1)
elseif(HOTJIT_SANITIZE STREQUAL "address")
  # -fsanitize=function checks a type hash stored just before every indirect-call target; stubs
  # and JIT code carry none (reading it faults before the first stub of a block), so it is off.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=function
                      -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
  add_compile_definitions(HOTJIT_ASAN=1)
elseif(NOT HOTJIT_SANITIZE STREQUAL "")
  message(FATAL_ERROR "HOTJIT_SANITIZE must be 'thread', 'address' or empty")
endif()
