/* fuzz_card_mask.c — the libFuzzer binary of fuzz_card_mask (fuzz_inbound.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_card_mask)
