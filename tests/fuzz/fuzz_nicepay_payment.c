/* fuzz_nicepay_payment.c — the libFuzzer binary of fuzz_nicepay_payment (fuzz_pg.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_nicepay_payment)
