#include <linux/init.h>
