/**
 * The simulated payment provider's test tokens (layers/shared/src/fulfilment/payment-provider.ts,
 * docs/payments.md), so a learner can drive each path of the saga from the browser.
 * tests/web/payment-tokens.test.ts checks this list against the provider.
 */
export const PAYMENT_TOKENS = [
  { token: 'tok_visa', label: 'Visa (approved)' },
  { token: 'tok_decline', label: 'Declined card: the order ends PAYMENT_FAILED' },
  { token: 'tok_transient', label: 'Provider unavailable twice, then approved (retries)' },
  { token: 'tok_timeout', label: 'First answer lost after charging; the retry finds the charge' },
  { token: 'tok_unavailable', label: 'Provider always unavailable: PAYMENT_FAILED after retries' },
] as const;
