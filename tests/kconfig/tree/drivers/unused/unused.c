#include <linux/init.h>
/* no Makefile builds this directory */
device_initcall(unused_init);
