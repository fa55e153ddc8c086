# Derives the case recorder from llama.cpp's tests/test-chat.cpp (see README.md).
#
#   awk -v src=LLAMA_SRC -v recorder=PATH/chat_format_goldens.cpp -f derive-recorder.awk tests/test-chat.cpp
#
# Every edit keeps upstream line numbers (the tests that are compiled out are wrapped in #if 0, and a
# #line directive follows each #endif), so __LINE__ at a run() call is its line in test-chat.cpp.
# Each edit must match exactly as often as expected, or the script fails: a changed test-chat.cpp is
# then noticed instead of silently recorded wrong.
function edit(name) { hits[name]++ }
BEGIN { file = "tests/test-chat.cpp" }
{
    line = $0
    if (line == "#include \"../tools/server/server-chat.h\"") {
        # only the server tests compiled out below use it (and it pulls in the whole server)
        line = "// recorder: server-chat.h is not needed"; edit("server-include")
    } else if (index(line, "#include \"../src/") == 1) {
        # absolute, so that src/unicode.h is not confused with common/unicode.h
        sub(/\.\.\/src\//, src "/src/", line); edit("src-include")
    } else if (line == "class peg_test_builder;") {
        line = line " static void record_peg_case(const std::string & template_path, common_chat_templates * tmpls, const peg_test_case & tc, int line);"
        edit("forward-declaration")
    } else if (line == "    void run() {") {
        line = "    void run(int line = 0) {"; edit("run-signature")
    } else if (line == "        test_peg_parser(tester_.tmpls_.get(), [this](peg_test_case & t) { t = tc_; }, tester_.detailed_debug_);") {
        line = "        record_peg_case(tester_.template_path(), tester_.tmpls_.get(), tc_, line);"; edit("run-body")
    } else if (line == "static void test_msgs_oaicompat_json_conversion() {") {
        line = "#if 0 // recorder: tests other than the PEG parser cases are compiled out\n" line; edit("cut-1-start")
        print line; next
    } else if (index(line, "static void test_lfm2_parser(") == 1) {
        print "#endif"; print "#line " NR " \"" file "\""; edit("cut-1-end")
    } else if (line == "static void test_template_generation_prompt() {") {
        print "#if 0 // recorder: tests other than the PEG parser cases are compiled out, and main"; edit("cut-2-start")
    }
    # every call, also one whose "." ends the line before ("...).\n    run();")
    n = gsub(/(^|[^A-Za-z0-9_])run\(\)/, "&", line)
    if (n > 0) { gsub(/run\(\)/, "run(__LINE__)", line); runs += n }
    print line
}
END {
    print "#endif"
    print "#include \"" recorder "\""
    expect["server-include"] = 1; expect["src-include"] = 2; expect["forward-declaration"] = 1
    expect["run-signature"] = 1; expect["run-body"] = 1
    expect["cut-1-start"] = 1; expect["cut-1-end"] = 1; expect["cut-2-start"] = 1
    bad = 0
    for (k in expect) {
        if (hits[k] != expect[k]) {
            printf "derive-recorder: edit %s matched %d times, expected %d\n", k, hits[k], expect[k] > "/dev/stderr"; bad = 1
        }
    }
    if (runs < 400) { printf "derive-recorder: only %d .run() calls found\n", runs > "/dev/stderr"; bad = 1 }
    if (bad) { exit 1 }
}
