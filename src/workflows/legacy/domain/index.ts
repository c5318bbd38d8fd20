// The domain rules as the legacy workflows used them (see ../README.md): frozen.
export * from './calendar';
export * from './consequences';
export * from './criteria';
export * from './escalation';
export * from './obligations';
export * from './supervision';
