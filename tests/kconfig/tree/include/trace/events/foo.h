#include <trace/trace_events.h>
#ifdef CONFIG_FOO_TRACE
TRACE_EVENT_FLAGS(foo_enter, 1)
#endif
