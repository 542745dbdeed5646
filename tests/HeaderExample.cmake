# The usage example that opens a public header, compiled and run as written (cmake -P).
#
# The example is the comment block after the header's first line starting "// Example", up to
# the next line that is exactly "//"; each of its lines starts with "//   ", which is stripped.
#
# MODE=generate (a build step), given HEADER, OUT and INCLUDES (a list of headers): writes OUT, a
# program whose example() holds the block verbatim (a #line directive maps it back to HEADER, so
# compiler errors name the header's lines) after the includes, with assert() enabled, and that
# records the block's SHA-256.
# MODE=check (the test), given HEADER and EXE: extracts the block again, fails unless EXE was built
# from exactly this block (a build that failed leaves an older program behind), then runs EXE,
# which runs the example: a failed assert() in it fails the test.

function(hotjit_extract_example Header OutBlock OutLine)
  # Walks the text line by line (not file(STRINGS): a list would split code at its ';').
  file(READ "${Header}" Text)
  set(Block "")
  set(State before)
  set(LineNo 0)
  set(First 0)
  while(NOT Text STREQUAL "")
    string(FIND "${Text}" "\n" Eol)
    if(Eol LESS 0)
      set(Line "${Text}")
      set(Text "")
    else()
      string(SUBSTRING "${Text}" 0 ${Eol} Line)
      math(EXPR Eol "${Eol} + 1")
      string(SUBSTRING "${Text}" ${Eol} -1 Text)
    endif()
    math(EXPR LineNo "${LineNo} + 1")
    if(State STREQUAL before)
      string(FIND "${Line}" "// Example" At)
      if(At EQUAL 0)
        set(State inside)
        math(EXPR First "${LineNo} + 1")
      endif()
    else()
      if(Line STREQUAL "//")
        set(State after)
        break()
      endif()
      string(FIND "${Line}" "//   " At)
      if(NOT At EQUAL 0)
        message(FATAL_ERROR "${Header}:${LineNo}: a line of the example does not start with "
                            "'//' and three spaces"
                            " (the example ends at a line that is exactly '//')")
      endif()
      string(SUBSTRING "${Line}" 5 -1 Code)
      string(APPEND Block "${Code}\n")
    endif()
  endwhile()
  if(State STREQUAL before)
    message(FATAL_ERROR "${Header} has no line starting '// Example'")
  endif()
  if(NOT State STREQUAL after)
    message(FATAL_ERROR "${Header}: the example does not end with a line '//'")
  endif()
  if(Block STREQUAL "")
    message(FATAL_ERROR "${Header}: the example is empty")
  endif()
  set(${OutBlock} "${Block}" PARENT_SCOPE)
  set(${OutLine} ${First} PARENT_SCOPE)
endfunction()

foreach(Var MODE HEADER)
  if(NOT DEFINED ${Var})
    message(FATAL_ERROR "HeaderExample.cmake needs -D${Var}=")
  endif()
endforeach()
hotjit_extract_example("${HEADER}" Block First)
string(SHA256 Sha "${Block}")

if(MODE STREQUAL generate)
  set(Source "// Generated from ${HEADER} by tests/HeaderExample.cmake: edit the header.\n")
  foreach(Include IN LISTS INCLUDES)
    string(APPEND Source "#include <${Include}>\n")
  endforeach()
  string(APPEND Source
    "\n#include <cstdio>\n#include <cstring>\n\n"
    "// The example states its results with assert(); check them in every build type.\n"
    "#undef NDEBUG\n#include <cassert>\n\n"
    "static void example() {\n"
    "#line ${First} \"${HEADER}\"\n"
    "${Block}"
    "}\n\n"
    "int main(int Argc, char **Argv) {\n"
    "  if (Argc == 2 && std::strcmp(Argv[1], \"--block-sha256\") == 0) {\n"
    "    std::puts(\"${Sha}\");\n"
    "    return 0;\n"
    "  }\n"
    "  example();\n"
    "  std::puts(\"the example ran\");\n"
    "  return 0;\n"
    "}\n")
  # Leave an unchanged file alone, so that a rebuild does not recompile it.
  if(EXISTS "${OUT}")
    file(READ "${OUT}" Old)
    if(Old STREQUAL Source)
      return()
    endif()
  endif()
  file(WRITE "${OUT}" "${Source}")
elseif(MODE STREQUAL check)
  execute_process(COMMAND "${EXE}" --block-sha256 OUTPUT_VARIABLE Built
                  OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE Rc)
  if(NOT Rc EQUAL 0 OR NOT Built STREQUAL Sha)
    message(FATAL_ERROR "${EXE} was not built from the example now in ${HEADER} (did the build "
                        "fail? the compiler's errors name the header's lines). Example:\n${Block}")
  endif()
  execute_process(COMMAND "${EXE}" RESULT_VARIABLE Rc)
  if(NOT Rc EQUAL 0)
    message(FATAL_ERROR "the example of ${HEADER} failed (${Rc}):\n${Block}")
  endif()
else()
  message(FATAL_ERROR "HeaderExample.cmake: MODE is generate or check, not '${MODE}'")
endif()
