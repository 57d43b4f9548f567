// The commit stamped into a build. A static binary carried to the GPU machine runs from a
// folder beside a checkout that may be at another commit, so reports must not ask git there.
#include "sparrow_build_stamp.h"

const char *sparrow_build_commit(void) {
#ifdef SPARROW_BUILD_COMMIT
    return SPARROW_BUILD_COMMIT;
#else
    return "";
#endif
}
