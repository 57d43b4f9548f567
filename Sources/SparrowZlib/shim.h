// zlib's header, found on the system include path (Debian: zlib1g-dev).
#include <zlib.h>
