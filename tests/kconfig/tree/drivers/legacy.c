#include <linux/init.h>
/* built when an option is off: that option does not build it */
#if !IS_ENABLED(CONFIG_NO_LEGACY)
late_initcall(legacy_init);
#endif
