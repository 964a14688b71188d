#include <linux/cpufreq.h>
static struct cpufreq_governor gov_fast;
cpufreq_governor_init(gov_fast);
