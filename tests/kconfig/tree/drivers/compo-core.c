#include <linux/init.h>
device_initcall(compo_core_init);
