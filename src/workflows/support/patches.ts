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

/**
 * An inquiry case asks the county ledger for its letter's document number (文号) before the letter
 * goes out. Cases started before it send their letter without one.
 */
export const DOC_NUMBER_PATCH = 'doc-number';
