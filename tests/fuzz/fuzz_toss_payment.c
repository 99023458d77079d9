/* fuzz_toss_payment.c — the libFuzzer binary of fuzz_toss_payment (fuzz_pg.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_toss_payment)
