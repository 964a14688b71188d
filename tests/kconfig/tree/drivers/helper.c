#include <linux/init.h>
fs_initcall(helper_init);
