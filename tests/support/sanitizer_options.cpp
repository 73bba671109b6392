// Sanitizer settings compiled into every test program, so that a report
// fails the test however it is started (ctest, by hand, a debugger).

extern "C" {

const char* __asan_default_options() {
    return "detect_leaks=1:abort_on_error=1:strict_string_checks=1:"
           "detect_stack_use_after_return=1";
}

const char* __ubsan_default_options() {
    return "halt_on_error=1:print_stacktrace=1";
}

} // extern "C"
