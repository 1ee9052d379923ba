import { runWorkerRoles } from './run-roles.js';

/** Render workers only: scale this tier for re-render throughput. */
runWorkerRoles('provd-render', ['render']);
