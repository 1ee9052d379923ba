import { runWorkerRoles } from './run-roles.js';

/** All worker roles in one process: the embedded default of `npm start`. */
runWorkerRoles('provd-worker', ['render', 'notify', 'relay']);
