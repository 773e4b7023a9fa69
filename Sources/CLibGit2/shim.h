#ifndef MG_CLIBGIT2_SHIM_H
#define MG_CLIBGIT2_SHIM_H
#include <git2.h>
#include <git2/sys/repository.h>

/* git_libgit2_opts is variadic, which Swift cannot call: typed wrappers for the options mg sets. */

static inline int mg_git_opts_set_int(int option, int value) {
    return git_libgit2_opts(option, value);
}
static inline int mg_git_opts_set_string(int option, const char *value) {
    return git_libgit2_opts(option, value);
}
static inline int mg_git_opts_set_search_path(int level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}
static inline int mg_git_opts_get_search_path(git_buf *out, int level) {
    return git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, level, out);
}
/* Option versions are macros Swift cannot import. */
static inline int mg_git_status_options_init(git_status_options *o) {
    return git_status_options_init(o, GIT_STATUS_OPTIONS_VERSION);
}
static inline int mg_git_diff_options_init(git_diff_options *o) {
    return git_diff_options_init(o, GIT_DIFF_OPTIONS_VERSION);
}
static inline int mg_git_diff_find_options_init(git_diff_find_options *o) {
    return git_diff_find_options_init(o, GIT_DIFF_FIND_OPTIONS_VERSION);
}
static inline int mg_git_worktree_add_options_init(git_worktree_add_options *o) {
    return git_worktree_add_options_init(o, GIT_WORKTREE_ADD_OPTIONS_VERSION);
}
static inline int mg_git_worktree_prune_options_init(git_worktree_prune_options *o) {
    return git_worktree_prune_options_init(o, GIT_WORKTREE_PRUNE_OPTIONS_VERSION);
}
static inline int mg_git_checkout_options_init(git_checkout_options *o) {
    return git_checkout_options_init(o, GIT_CHECKOUT_OPTIONS_VERSION);
}
static inline int mg_git_merge_options_init(git_merge_options *o) {
    return git_merge_options_init(o, GIT_MERGE_OPTIONS_VERSION);
}
static inline int mg_git_apply_options_init(git_apply_options *o) {
    return git_apply_options_init(o, GIT_APPLY_OPTIONS_VERSION);
}
static inline int mg_git_blob_filter_options_init(git_blob_filter_options *o) {
    return git_blob_filter_options_init(o, GIT_BLOB_FILTER_OPTIONS_VERSION);
}
#endif
