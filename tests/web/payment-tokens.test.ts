import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PAYMENT_TOKENS } from '../../web/src/checkout/payment-tokens.ts';

const PROVIDER = new URL('../../layers/shared/src/fulfilment/payment-provider.ts', import.meta.url);

describe('the payment methods offered at checkout', () => {
  it('are tok_visa and every test token the simulated provider treats specially', () => {
    const special = [...readFileSync(PROVIDER, 'utf8').matchAll(/case '(tok_[a-z_]+)':/g)].map((match) => match[1]);
    expect(special.length).toBeGreaterThan(0);
    expect(PAYMENT_TOKENS.map(({ token }) => token).sort()).toEqual(['tok_visa', ...special].sort());
  });
});
