import { runWorkerRoles } from './run-roles.js';

/** Outbox relay and sweeper: several may run; they share work through SKIP LOCKED. */
runWorkerRoles('provd-relay', ['relay']);
