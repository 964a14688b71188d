#include <linux/init.h>
module_init(inmod_init);
