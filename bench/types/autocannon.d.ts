/** autocannon ships no types; the harness uses a small part of it through bench/lib/load.ts. */
declare module 'autocannon';
