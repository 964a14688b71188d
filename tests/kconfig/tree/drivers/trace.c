#define CREATE_TRACE_POINTS
#include <trace/events/foo.h>
