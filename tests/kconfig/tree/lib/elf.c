#include <linux/init.h>
core_initcall(init_elf);
