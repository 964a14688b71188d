#include <linux/init.h>
late_initcall(compo_extra_init);
