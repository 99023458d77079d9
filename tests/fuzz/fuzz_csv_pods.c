/* fuzz_csv_pods.c — the libFuzzer binary of fuzz_csv_pods (fuzz_csv.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_csv_pods)
