#include <linux/init.h>
device_initcall(deferred_a_init);
