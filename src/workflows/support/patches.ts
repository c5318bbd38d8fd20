/**
 * Patch ids of the workflows (`patched()`): each marks a change that runs started before it do
 * not see when they replay. Kept in one place so that none is reused for another change.
 */

/**
 * The obligation book and the one entity runtime (village, township, county programme, inquiry
 * case). Runs started before it replay the frozen code in `legacy/` and move to the book at their
 * next continue-as-new (a village, township or programme at its first wake-up of a new year; an
 * inquiry case never continues: it ends as it began).
 */
export const RUNTIME_PATCH = 'obligation-book';

/** The county programme draws up the monthly bulletin (通报, 六(三)); runs started before do not. */
export const BULLETIN_PATCH = 'monthly-bulletin';

/** A recorded acceptance result is mailed to the target's liaison and paired department (五(三), 五(四)). */
export const RESULT_MAIL_PATCH = 'acceptance-result-mail';
