// How many console sign-ins that did not succeed each key may have before the answer is
// "locked", and for how long (docs/decisions/014). A number, not a setting: tests import them.
export const SIGN_IN_LIMITS = {
  /** One email from one client address: consecutive failures (a success starts them over). */
  accountAtAddress: { failures: 5, perSeconds: 24 * 60 * 60, lockSeconds: 15 * 60 },
  /** One email from every address together: what a guesser with many addresses gets. */
  account: { failures: 50, perSeconds: 60 * 60, lockSeconds: 60 * 60 },
  /** One client address, whatever the emails: slow guessing across many accounts. */
  address: { failures: 100, perSeconds: 24 * 60 * 60, lockSeconds: 24 * 60 * 60 },
} as const;
