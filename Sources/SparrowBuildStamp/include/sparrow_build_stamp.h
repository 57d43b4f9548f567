#ifndef SPARROW_BUILD_STAMP_H
#define SPARROW_BUILD_STAMP_H

/// The commit the binary was built from, as `scripts/build-static.sh` passes it
/// (`-Xcc '-DSPARROW_BUILD_COMMIT="abc1234"'`, a string literal); "" in a build that did not pass one.
const char *sparrow_build_commit(void);

#endif
