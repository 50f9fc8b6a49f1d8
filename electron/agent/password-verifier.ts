// Offline sign-in: the agent keeps a scrypt verifier of the password from the last sign-in the
// hub accepted, never the password itself, so a stolen tablet's cache does not give up the
// password (and a wrong guess costs a full scrypt evaluation). The verifier is an ordinary
// password hash (electron/core/passwords.ts, the hub's too); the stored value comes from a cache
// row, so the core's bounds on its parameters are what keep a tampered row from making a guess
// cost unbounded memory or time.
export { hashPassword as makeVerifier, verifyPassword as checkVerifier } from '../core/passwords.ts';
