#include <linux/platform_device.h>

static struct platform_driver plat_driver;
module_platform_driver(plat_driver);
