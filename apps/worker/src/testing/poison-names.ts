/**
 * Two event names MongoDB cannot hold side by side: the driver writes a lone surrogate as U+FFFD,
 * so both meet on the unique index (workspace, user_id, event_name), and any transaction that
 * writes both is refused with E11000 however often it runs. A permanent failure on demand, for
 * the tests of bisection and group commit.
 */
export const LONE = '\ud800';
export const REPLACEMENT = '\ufffd';
