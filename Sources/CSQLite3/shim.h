#ifndef MG_CSQLITE3_SHIM_H
#define MG_CSQLITE3_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro Swift cannot import; this typed constant replaces it. */
static inline sqlite3_destructor_type mg_sqlite3_transient(void) {
    return (sqlite3_destructor_type)-1;
}
#endif
