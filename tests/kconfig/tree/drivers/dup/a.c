#include <linux/init.h>
static int __init dup_init(void)
{
	return 0;
}
subsys_initcall(dup_init);
