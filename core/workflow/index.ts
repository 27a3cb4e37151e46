export * from './actions.ts';
export * from './planner.ts';
export * from './states.ts';
