#include <linux/init.h>
/* a macro of this file's own */
#define my_register(x) \
	static int __init x##_go(void) { return 0; } \
	arch_initcall(x##_go)
my_register(local)
