#include <linux/init.h>
early_initcall(x86_early);
