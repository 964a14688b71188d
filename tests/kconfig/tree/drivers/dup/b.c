#include <linux/init.h>


subsys_initcall(dup_init);
