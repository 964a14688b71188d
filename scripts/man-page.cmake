# man-page.cmake: writes bootlog.1 with help2man, from what the binary
# says of itself: `bootlog --help` and `--version`, and each verb's --help
# (the option tables of src/cmd-*.c) as a section of its own, so that the
# man page cannot drift from the program either.
#   cmake -DBOOTLOG=path/to/bootlog -DHELP2MAN=path -DOUT=bootlog.1 -DWORK=dir -P man-page.cmake
execute_process(COMMAND ${BOOTLOG} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${BOOTLOG} --help failed")
endif()
string(REGEX MATCHALL "\n  [a-z-]+  " verbs "${help}")
set(include "[VERBS]\n")
foreach(v ${verbs})
  string(STRIP "${v}" v)
  execute_process(COMMAND ${BOOTLOG} ${v} --help OUTPUT_VARIABLE text)
  # roff: a backslash is written \e, a line may not start with . or '
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "\n([.'])" "\n\\\\&\\1" text "${text}")
  string(APPEND include ".SS bootlog ${v}\n.nf\n${text}.fi\n")
endforeach()
string(APPEND include "[ENVIRONMENT]\n.TP\n.B BOOTLOG_DB\nthe database when --db is not given (else ./bootlog.db)\n"
       ".TP\n.B BOOTLOG_EXPLAIN=1\nprints the plan of every query on standard error\n"
       "[EXIT STATUS]\n0 success; 1 bad input or a runtime error (one line on standard error naming the file and line); "
       "2 a usage error; 3 compare --fail-on-regression found a regression; 130 capture stopped by Ctrl-C.\n")
file(WRITE ${WORK}/bootlog.h2m "${include}")
execute_process(COMMAND ${HELP2MAN} --no-info --no-discard-stderr --section 1
                        --name "where boot time goes: boot logs into a timeline, ranked and compared"
                        --include ${WORK}/bootlog.h2m --output ${OUT} ${BOOTLOG}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed")
endif()
