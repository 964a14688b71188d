#include <linux/init.h>

/* always built: no option */
core_initcall(always_init);
