#include <linux/init.h>
device_initcall(two_init);
