/* fuzz_contacts.c — the libFuzzer binary of fuzz_contacts (fuzz_inbound.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_contacts)
