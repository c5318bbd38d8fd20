// Pure rules of the programme: no I/O, `now` always passed in. Imported by workflows and tests alike.
export * from './book';
export * from './calendar';
export * from './consequences';
export * from './criteria';
export * from './kinds';
export * from './obligations';
export * from './policy';
export * from './roster';
export * from './supervision';
export * from './training';
