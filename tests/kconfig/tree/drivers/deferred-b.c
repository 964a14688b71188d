#include <linux/init.h>
device_initcall(deferred_b_init);
