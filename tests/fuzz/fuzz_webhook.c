/* fuzz_webhook.c — the libFuzzer binary of fuzz_webhook (fuzz_inbound.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_webhook)
