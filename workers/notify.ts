import { runWorkerRoles } from './run-roles.js';

/** Push-resync workers only (SIP NOTIFY, Asterisk AMI, FreeSWITCH). */
runWorkerRoles('provd-notify', ['notify']);
