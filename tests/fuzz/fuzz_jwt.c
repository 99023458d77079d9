/* fuzz_jwt.c — the libFuzzer binary of fuzz_jwt (fuzz_inbound.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_jwt)
