// Pure rules of the programme: no I/O, `now` always passed in. Imported by workflows and tests alike.
export * from './calendar';
export * from './consequences';
export * from './criteria';
export * from './escalation';
export * from './obligations';
export * from './roster';
export * from './supervision';
