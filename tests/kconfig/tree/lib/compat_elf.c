#define init_elf init_compat_elf
#include "elf.c"
