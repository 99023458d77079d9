/* fuzz_refund_policy.c — the libFuzzer binary of fuzz_refund_policy (fuzz_domain.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_refund_policy)
