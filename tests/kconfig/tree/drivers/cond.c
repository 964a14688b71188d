#include <linux/init.h>
#ifdef CONFIG_COND_FEATURE
subsys_initcall(cond_feature_init);
#else
subsys_initcall(cond_fallback_init);
#endif
#if 0
late_initcall(never_init);
#endif
