#include <linux/init.h>
fs_initcall(sock_init);
