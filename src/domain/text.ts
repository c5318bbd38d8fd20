/**
 * Characters no text an official reads may carry: control characters (other than line breaks and
 * tabs in free text), and those that reverse the direction of what follows (U+202A–U+202E,
 * U+2066–U+2069), with which a letter's PDF would print "ABC" as "CBA".
 */
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
export const NO_CONTROLS = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/;
/** One line: no line break either (names and addresses as documents print them). */
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
export const ONE_LINE = /^[^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/;
